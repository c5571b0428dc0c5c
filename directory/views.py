from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from core.attention import sections_for

from .permissions import scope_for
from .selectors import membership_list_for_user


@login_required
def home(request):
    """Each role's desk: the user's memberships and what needs their attention."""
    memberships = list(membership_list_for_user(user=request.user))
    scope = scope_for(request.user)
    return render(
        request,
        "directory/home.html",
        {
            "memberships": memberships,
            "roles": sorted(scope.roles),
            "sections": sections_for(request.user),
        },
    )

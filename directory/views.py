from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import render

from core.attention import sections_for

from .permissions import can_view_login_attempts, scope_for
from .selectors import login_attempt_list, membership_list_for_user


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


@login_required
def login_attempt_list_view(request):
    """Login attempts for the auditor and the bureau: who tried, from where, when, and whether it worked."""
    if not can_view_login_attempts(request.user):
        raise Http404
    username = request.GET.get("username", "").strip()[:150]
    page = Paginator(login_attempt_list(user=request.user, username=username), 100).get_page(request.GET.get("page"))
    return render(request, "directory/login_attempt_list.html", {"page": page, "username": username})

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.attention import sections_for
from core.dashboard import groups_for
from core.forms import add_service_errors

from .forms import ApiTokenForm
from .permissions import can_revoke_api_token, can_view_login_attempts, dashboard_area, is_bureau_admin, scope_for
from .selectors import api_token_list, login_attempt_list, membership_list_for_user
from .services import api_token_create, api_token_revoke


@login_required
def home(request):
    """Each role's desk: the user's memberships, the figures of their area at a glance (core.dashboard: the city,
    a district, a town or an agency's packages) and what needs their attention; to-do sections with nothing in
    them collapse into one line."""
    memberships = list(membership_list_for_user(user=request.user))
    scope = scope_for(request.user)
    sections = sections_for(request.user)
    area = dashboard_area(request.user)
    return render(
        request,
        "directory/home.html",
        {
            "memberships": memberships,
            "roles": sorted(scope.roles),
            "area": area,
            "figure_groups": groups_for(area),
            "sections": [s for s in sections if s.items],
            "empty_sections": [s for s in sections if not s.items],
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


@login_required
def api_token_list_view(request):
    """The user's API tokens: create one (its key shown on this page once), see when each was last used,
    revoke; the bureau also sees and revokes everyone's."""
    form = ApiTokenForm(request.POST or None)
    created_key = None
    if request.method == "POST" and form.is_valid():
        try:
            _token, created_key = api_token_create(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            form = ApiTokenForm()
    context = {
        "form": form,
        "created_key": created_key,
        "tokens": list(api_token_list(user=request.user)),
        "all_tokens": list(api_token_list(user=request.user, everyone=True).exclude(user=request.user)[:500])
        if is_bureau_admin(request.user)
        else None,
    }
    response = render(request, "directory/api_token_list.html", context, status=400 if form.errors else 200)
    if created_key:
        response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke_view(request, pk: int):
    token = get_object_or_404(api_token_list(user=request.user, everyone=True), pk=pk)
    if not can_revoke_api_token(request.user, token):
        raise Http404
    api_token_revoke(actor=request.user, token=token)
    messages.success(request, _("令牌“%(name)s”已撤销。") % {"name": token.name})
    return redirect("directory:api-token-list")

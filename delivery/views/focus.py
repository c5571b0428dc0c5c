"""Pages of community focus issues (S5): the scoped, filterable list, registering an issue, its timeline of
state changes and the move form, and a town's page with the counts of resolved issues."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from delivery.models import FocusIssue
from delivery.permissions import can_move_focus_issue, can_view_town_focus_issues
from delivery.selectors import (
    focus_community_choices,
    focus_issue_filtered,
    focus_issue_list,
    focus_reportable_communities,
)
from directory.models import Town

from ..forms.reports import FocusIssueForm, FocusMoveForm
from ..services import focus as services

PAGE_SIZE = 50


@login_required
def focus_issue_list_view(request):
    """Focus issues the user may see, filtered by status, type, community (and town for wider roles)."""
    issues, filterset = focus_issue_filtered(user=request.user, filters=request.GET)
    page = Paginator(issues, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "page": page,
        "issues": page.object_list,
        "filter": filterset,
        "statuses": FocusIssue.Status.choices,
        "kinds": FocusIssue.Kind.choices,
        "communities": list(focus_community_choices(user=request.user)),
        "can_create": focus_reportable_communities(user=request.user).exists(),
    }
    template = "delivery/focus/partials/_issue_table.html" if request.htmx else "delivery/focus/issue_list.html"
    return render(request, template, context)


@login_required
def focus_issue_create(request):
    communities = focus_reportable_communities(user=request.user)
    if not communities.exists():
        raise PermissionDenied
    initial = {}
    if request.GET.get("community"):
        initial["community"] = request.GET["community"]
    form = FocusIssueForm(request.POST or None, communities=communities, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            issue = services.focus_issue_report(actor=request.user, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("焦点问题已登记。"))
            return redirect(issue)
    return render(request, "delivery/focus/issue_form.html", {"form": form})


def _issue(request, pk: int) -> FocusIssue:
    return get_object_or_404(focus_issue_list(user=request.user), pk=pk)


def _detail(request, issue: FocusIssue, form: FocusMoveForm | None = None, status: int = 200):
    can_move = can_move_focus_issue(request.user, issue) and bool(services.TRANSITIONS[issue.status])
    if can_move and form is None:
        form = FocusMoveForm(choices=services.next_statuses(issue))
    labels = dict(FocusIssue.Status.choices)
    events = list(issue.events.select_related("actor").order_by("at", "pk"))
    for event in events:
        event.from_label = labels.get(event.from_status, "")
        event.to_label = labels.get(event.to_status, event.to_status)
    context = {"issue": issue, "events": events, "form": form if can_move else None}
    return render(request, "delivery/focus/issue_detail.html", context, status=status)


@login_required
def focus_issue_detail(request, pk: int):
    return _detail(request, _issue(request, pk))


@login_required
@require_POST
def focus_issue_move_view(request, pk: int):
    issue = _issue(request, pk)
    if not can_move_focus_issue(request.user, issue):
        raise PermissionDenied
    form = FocusMoveForm(request.POST, choices=services.next_statuses(issue))
    if form.is_valid():
        try:
            services.focus_issue_move(actor=request.user, issue=issue, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("状态已更新。"))
            return redirect(issue)
    return _detail(request, issue, form=form, status=400)


@login_required
def town_focus_issues(request, pk: int):
    """A town's focus issues for its officers, its district and the bureau: resolved counts per year and per
    agency (S5), open issues by status, and the list."""
    town = get_object_or_404(Town.objects.select_related("district"), pk=pk)
    if not can_view_town_focus_issues(request.user, town):
        raise Http404
    scoped = focus_issue_list(user=request.user).filter(community__town=town)
    by_status = dict(scoped.order_by().values_list("status").annotate(n=Count("id")))
    context = {
        "town": town,
        "by_year": services.focus_issue_counts(by="year", issues=scoped),
        "by_agency": services.focus_issue_counts(by="agency", issues=scoped),
        "by_status": [(value, label, by_status.get(value, 0)) for value, label in FocusIssue.Status.choices],
        "issues": list(scoped[:200]),
    }
    return render(request, "delivery/focus/town_focus.html", context)


urlpatterns = [
    path("focus-issues/", focus_issue_list_view, name="focus-issue-list"),
    path("focus-issues/new/", focus_issue_create, name="focus-issue-create"),
    path("focus-issues/<int:pk>/", focus_issue_detail, name="focus-issue-detail"),
    path("focus-issues/<int:pk>/move/", focus_issue_move_view, name="focus-issue-move"),
    path("towns/<int:pk>/focus-issues/", town_focus_issues, name="town-focus-issues"),
]

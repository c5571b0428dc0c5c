"""Reads of delivery rows (plans, venues, reports, focus issues), already scoped to the asking user: every row
belongs to a package the user may see (`procurement.selectors.package_list`), or to a place in the user's scope."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_ID
from delivery.models import FocusIssue, PlanComment, PlanItem, ServicePlan, ServiceReport, Venue
from directory.models import Community, Town
from directory.permissions import scope_for
from procurement.models import ServicePackage
from procurement.selectors import package_list, served_town_ids

# --- service plans and venues (P3–P8) ----------------------------------------------------------


def plan_list(*, user) -> QuerySet[ServicePlan]:
    """Plans of the packages the user may see."""
    return ServicePlan.objects.filter(package__in=package_list(user=user).values("pk")).select_related(
        "package__town__district", "package__agency__organisation", "package__round"
    )


def plan_item_list(*, user, plan: ServicePlan) -> QuerySet[PlanItem]:
    """A plan's items, if the user may see its package, with catalogue item, category, place and comments."""
    return (
        PlanItem.objects.filter(plan=plan, plan__package__in=package_list(user=user).values("pk"))
        .select_related("item__category", "community")
        .prefetch_related(
            Prefetch("comments", queryset=PlanComment.objects.select_related("author").order_by("created_at"))
        )
        .order_by("year", "pk")
    )


def plan_filed_pending_list(*, user) -> QuerySet[PlanItem]:
    """Filed (备案) items waiting for the bureau's decision, in the packages the user may see (P3)."""
    return (
        PlanItem.objects.filter(
            is_filed=True,
            filed_status=PlanItem.FiledStatus.PENDING,
            plan__package__in=package_list(user=user).values("pk"),
        )
        .select_related("plan__package__town", "community")
        .order_by("pk")
    )


def venue_list(*, user, package: ServicePackage | None = None) -> QuerySet[Venue]:
    """Venues (P8) of the packages the user may see."""
    qs = Venue.objects.filter(package__in=package_list(user=user).values("pk")).select_related(
        "community", "package__town"
    )
    if package is not None:
        qs = qs.filter(package=package)
    return qs.order_by("community__code", "name", "pk")


# --- service reports (S1–S3) and focus issues (S5) ---------------------------------------------


def report_list(*, user, package: ServicePackage | None = None) -> QuerySet[ServiceReport]:
    """Reports (every version) of the packages the user may see, optionally of one package."""
    qs = ServiceReport.objects.select_related(
        "package__town__district", "package__agency__organisation", "package__round", "created_by", "confirmed_by"
    )
    if not scope_for(user).sees_all:  # the city-wide roles see every package: no subquery to plan (issue 14)
        qs = qs.filter(package__in=package_list(user=user).values("pk"))
    if package is not None:
        qs = qs.filter(package=package)
    return qs


def report_rows(*, user) -> QuerySet[ServiceReport]:
    """`report_list` narrowed to what the API list shows (issue 14): the report's own columns and its round's
    due day (S1) — no join to the town, the district, the agency or the two users."""
    return (
        report_list(user=user)
        .select_related(None)
        .select_related("package__round")
        .only(
            "id",
            "package",
            "package__round",
            "package__round__report_due_day",
            "year",
            "month",
            "version",
            "supersedes",
            "status",
            "summary",
            "returned_reason",
            "submitted_at",
            "confirmed_at",
        )
    )


def report_get(*, user, pk) -> ServiceReport:
    """One report (any version) the user may see, or 404."""
    return get_object_or_404(report_list(user=user), pk=pk)


class ReportFilter(django_filters.FilterSet):
    """Filters of the report list API: place, agency, package, month and status."""

    district = django_filters.NumberFilter(
        field_name="package__town__district_id", min_value=1, max_value=MAX_ID, label=_("区（县级市）")
    )
    town = django_filters.NumberFilter(
        field_name="package__town_id", min_value=1, max_value=MAX_ID, label=_("街道（镇）")
    )
    agency = django_filters.NumberFilter(
        field_name="package__agency_id", min_value=1, max_value=MAX_ID, label=_("社工机构")
    )
    package = django_filters.NumberFilter(field_name="package_id", min_value=1, max_value=MAX_ID, label=_("项目包"))
    year = django_filters.NumberFilter(min_value=2000, max_value=2100, label=_("年"))
    month = django_filters.NumberFilter(min_value=1, max_value=12, label=_("月"))
    status = django_filters.ChoiceFilter(choices=ServiceReport.Status.choices, label=_("状态"))

    class Meta:
        model = ServiceReport
        fields = ["district", "town", "agency", "package", "year", "month", "status"]


class FocusIssueFilter(django_filters.FilterSet):
    """The focus-issue list's filters: status, type, community and town."""

    status = django_filters.ChoiceFilter(choices=FocusIssue.Status.choices, label=_("状态"))
    kind = django_filters.ChoiceFilter(choices=FocusIssue.Kind.choices, label=_("问题类型"))
    community = django_filters.ModelChoiceFilter(queryset=Community.objects.all(), label=_("社区（村）"))
    town = django_filters.ModelChoiceFilter(
        field_name="community__town", queryset=Town.objects.all(), label=_("街道（镇）")
    )

    class Meta:
        model = FocusIssue
        fields = ["status", "kind", "community", "town"]


def focus_issue_list(*, user, filters=None) -> QuerySet[FocusIssue]:
    """Focus issues the user may see (S5): a community officer its community's, a town officer its town's,
    a district officer its district's, an agency those of the towns of its packages, city-wide roles all;
    narrowed by FocusIssueFilter when `filters` are given."""
    scope = scope_for(user)
    qs = FocusIssue.objects.select_related(
        "community__town__district", "package__agency__organisation", "reported_by"
    ).order_by("-reported_at", "-pk")
    if not scope.sees_all:
        q = scope.place_q("community__town", "community")
        if scope.agency_ids:
            q |= Q(community__town_id__in=served_town_ids(user=user, active_only=False))
        qs = qs.filter(q)
    if filters is not None:
        qs = FocusIssueFilter(filters, queryset=qs).qs
    return qs


# The columns FocusIssueListApi's serializer reads (issue 14: the full selector joined seven tables, ~100 columns,
# for two names).
FOCUS_ISSUE_ROW_FIELDS = (
    "id",
    "community_id",
    "community__name",
    "community__town__name",
    "package_id",
    "kind",
    "title",
    "description",
    "status",
    "resolution",
    "resolved_on",
    "reported_at",
)


def focus_issue_rows(*, user) -> QuerySet[FocusIssue]:
    """`focus_issue_list` narrowed to what the API list shows: the issue's own columns, its community's and
    town's names — one join to each, none to the package, the agency or the reporter."""
    return (
        focus_issue_list(user=user).select_related(None).select_related("community__town").only(*FOCUS_ISSUE_ROW_FIELDS)
    )


def focus_issue_get(*, user, pk) -> FocusIssue:
    """One focus issue the user may see, or 404."""
    return get_object_or_404(focus_issue_list(user=user), pk=pk)


def focus_issue_filtered(*, user, filters=None) -> tuple[QuerySet[FocusIssue], FocusIssueFilter]:
    """`focus_issue_list` with its FilterSet (for the form on the list page)."""
    filterset = FocusIssueFilter(filters or None, queryset=focus_issue_list(user=user))
    return filterset.qs, filterset


def focus_community_choices(*, user) -> QuerySet[Community]:
    """Communities whose focus issues the user may see (the list page's community filter)."""
    scope = scope_for(user)
    qs = Community.objects.select_related("town").order_by("town__name", "name")
    if scope.sees_all:
        return qs
    q = Q(id__in=scope.community_ids) | Q(town_id__in=scope.town_ids) | Q(town__district_id__in=scope.district_ids)
    if scope.agency_ids:
        q |= Q(town_id__in=served_town_ids(user=user, active_only=False))
    return qs.filter(q)


def focus_reportable_communities(*, user) -> QuerySet[Community]:
    """Communities the user may register focus issues for (see `can_report_focus_issue`): their own community,
    or any community of a town where their agency runs an active package."""
    scope = scope_for(user)
    q = Q(id__in=scope.community_ids)
    if scope.agency_ids:
        q |= Q(town_id__in=served_town_ids(user=user, active_only=True))
    return Community.objects.filter(q).select_related("town").order_by("town__name", "name")

"""Reads of compliance findings, already scoped to the asking user (who sees what: `permissions.py`).

`finding_list(user=..., filters=...)` is the one way rows are read: the list page, its xlsx export, the API and
the detail page (`get_object_or_404(finding_list(user=...), pk=...)`, so an outsider gets 404)."""

from __future__ import annotations

import datetime

import django_filters
from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import MAX_ID
from directory.models import District, Organisation, Town
from directory.permissions import scope_for

from .models import Finding, FindingEvent, Rule
from .permissions import responsible_org_ids

# The list's status filter: the default shows the findings still waiting for someone (open or answered).
ACTIVE = "active"
ALL = "all"
STATUS_CHOICES = [
    (ACTIVE, _("未关闭（待整改、已整改待核实）")),
    *Finding.Status.choices,
    (ALL, _("全部")),
]
AGE_CHOICES = [("7", _("超过 7 天")), ("30", _("超过 30 天")), ("90", _("超过 90 天"))]
MINE = "mine"


def _scope_q(user) -> Q | None:
    """The rows the user may see, as a Q (None: every row)."""
    scope = scope_for(user)
    if scope.sees_all:
        return None
    q = scope.place_q("town", "community")
    if scope.district_ids:
        q |= Q(district_id__in=scope.district_ids)  # a district-level finding without a town
    if scope.agency_ids:
        q |= Q(organisation_id__in=scope.agency_ids) | Q(package__agency__organisation_id__in=scope.agency_ids)
    responsible = responsible_org_ids(user)
    if responsible:
        q |= Q(organisation_id__in=responsible)
    return q


def finding_list(*, user, filters=None) -> QuerySet[Finding]:
    """Findings the user may see, with their place, responsible organisation and package; narrowed by
    `FindingFilter` when `filters` are given (then only open and answered ones unless `status` says otherwise)."""
    qs = Finding.objects.select_related("organisation", "district", "town", "community", "package")
    q = _scope_q(user)
    if q is not None:
        qs = qs.filter(q)
    if filters is not None:
        qs = FindingFilter(filters, queryset=qs, user=user).qs
    return qs


def finding_get(*, user, pk) -> Finding:
    """One finding the user may see, or 404 (an outsider learns nothing): the scoped getter views use."""
    return get_object_or_404(finding_list(user=user), pk=pk)


def finding_filtered(*, user, filters=None) -> tuple[QuerySet[Finding], FindingFilter]:
    """`finding_list` with its FilterSet, for the form on the list page."""
    filterset = FindingFilter(filters, queryset=finding_list(user=user), user=user)
    return filterset.qs, filterset


def with_last_answer(qs: QuerySet[Finding]) -> QuerySet[Finding]:
    """Each finding with the text of its latest rectification or waiver (`last_answer`), in the same query."""
    latest = FindingEvent.objects.filter(
        finding=OuterRef("pk"), kind__in=[FindingEvent.Kind.RESPONDED, FindingEvent.Kind.WAIVED]
    ).order_by("-created_at", "-id")
    return qs.annotate(last_answer=Subquery(latest.values("text")[:1]))


def finding_events(finding: Finding) -> list[FindingEvent]:
    """A finding's history, oldest first, with who did each step (None: the nightly sweep)."""
    return list(finding.events.select_related("actor").order_by("created_at", "id"))


def event_attachment_get(*, user, pk) -> FindingEvent:
    """An event with an attachment, if the user may see its finding; else 404."""
    visible = finding_list(user=user).values("pk")
    return get_object_or_404(FindingEvent.objects.exclude(attachment=""), finding__in=visible, pk=pk)


def responsible_open_list(*, user) -> QuerySet[Finding]:
    """Open findings the user must answer for (its organisations are responsible), oldest first."""
    orgs = responsible_org_ids(user)
    if not orgs:
        return Finding.objects.none()
    return (
        Finding.objects.filter(status=Finding.Status.OPEN, organisation_id__in=orgs)
        .select_related("town", "community")
        .order_by("first_seen_at", "id")
    )


class FindingFilter(django_filters.FilterSet):
    """The findings' filters (page, export and API): rule, severity, status (open and answered by default),
    district, town, agency, package, age since first seen, and "the ones I must answer"."""

    rule = django_filters.ChoiceFilter(choices=Rule.choices, label=_("规则"))
    severity = django_filters.ChoiceFilter(choices=Finding.Severity.choices, label=_("严重程度"))
    status = django_filters.ChoiceFilter(
        choices=STATUS_CHOICES, method="filter_status", empty_label=None, label=_("状态")
    )
    district = django_filters.ModelChoiceFilter(
        queryset=District.objects.order_by("code"), method="filter_district", label=_("区（县级市）")
    )
    town = django_filters.ModelChoiceFilter(
        queryset=Town.objects.select_related("district").order_by("district__code", "code"), label=_("街道（镇）")
    )
    agency = django_filters.ModelChoiceFilter(
        queryset=Organisation.objects.filter(kind=Organisation.Kind.AGENCY).order_by("name"),
        field_name="organisation",  # (for the schema's type; the method also matches the package's agency)
        method="filter_agency",
        label=_("社工机构"),
    )
    package = django_filters.NumberFilter(field_name="package_id", min_value=1, max_value=MAX_ID, label=_("项目包"))
    age = django_filters.ChoiceFilter(choices=AGE_CHOICES, method="filter_age", label=_("发现至今"))
    responsible = django_filters.ChoiceFilter(
        choices=[(MINE, _("需我方整改"))], method="filter_responsible", label=_("责任单位")
    )

    class Meta:
        model = Finding
        fields = ["rule", "severity", "status", "district", "town", "agency", "package", "age", "responsible"]

    def __init__(self, data=None, queryset=None, *, request=None, prefix=None, user=None):
        # Always bound, so that the default (open and answered findings) applies when no status is asked for.
        data = data.copy() if data is not None else {}
        if not data.get("status"):
            data["status"] = ACTIVE
        super().__init__(data, queryset, request=request, prefix=prefix)
        self.user = user if user is not None else getattr(request, "user", None)

    def filter_status(self, queryset, name, value):
        if value == ACTIVE:
            return queryset.filter(status__in=[Finding.Status.OPEN, Finding.Status.RESPONDED])
        if value == ALL:
            return queryset
        return queryset.filter(status=value)

    def filter_district(self, queryset, name, value):
        return queryset.filter(Q(district=value) | Q(town__district=value))

    def filter_agency(self, queryset, name, value):
        return queryset.filter(Q(organisation=value) | Q(package__agency__organisation=value))

    def filter_age(self, queryset, name, value):
        return queryset.filter(first_seen_at__lte=timezone.now() - datetime.timedelta(days=int(value)))

    def filter_responsible(self, queryset, name, value):
        return queryset.filter(organisation_id__in=responsible_org_ids(self.user) if self.user else [])

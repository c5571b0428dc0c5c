"""The compliance figures: R4's tables (findings by rule, district and age) and the dashboards' "open findings
by severity". One set of numbers feeds the page, the PDF and the home page; each is a fixed handful of
aggregate queries whatever the number of findings."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.db.models import Count, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dashboard import Area, Figure, FigureGroup, register

from .models import Finding, Rule

# Ages of the findings still open on the report's day, in days since first seen (R4 "by age").
AGE_BUCKETS = ((0, 7, "7 天以内"), (8, 30, "8–30 天"), (31, 90, "31–90 天"), (91, None, "90 天以上"))


@dataclass
class RuleRow:
    rule: str
    label: str
    found: int = 0  # first seen in the period
    open: int = 0  # still open (or answered, not yet cleared) on the day
    closed: int = 0  # cleared by the sweep in the period
    waived: int = 0  # waived by the bureau in the period


@dataclass
class DistrictRow:
    name: str
    critical: int = 0
    warning: int = 0
    info: int = 0

    @property
    def total(self) -> int:
        return self.critical + self.warning + self.info


@dataclass
class FindingsSummary:
    year: int
    on: datetime.date
    rules: list[RuleRow] = field(default_factory=list)
    districts: list[DistrictRow] = field(default_factory=list)
    ages: list[tuple[str, int]] = field(default_factory=list)
    oldest: list[Finding] = field(default_factory=list)

    @property
    def totals(self) -> RuleRow:
        total = RuleRow(rule="", label=_("合计"))
        for row in self.rules:
            total.found += row.found
            total.open += row.open
            total.closed += row.closed
            total.waived += row.waived
        return total


def _end_of_day(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time.min))


def open_on_q(on: datetime.date) -> Q:
    """Findings open at the end of day `on`: seen by then and not closed or waived by then."""
    end = _end_of_day(on)
    return Q(first_seen_at__lt=end) & (Q(closed_at__isnull=True) | Q(closed_at__gte=end))


def findings_summary(year: int, *, today: datetime.date | None = None, oldest: int = 50) -> FindingsSummary:
    """R4 for `year`, taken on its last day (or today for the running year): per rule what was found, cleared and
    waived in the year and what is still open on the day; the open ones by district and severity and by age; the
    oldest open findings. Four queries."""
    today = today or timezone.localdate()
    on = min(datetime.date(year, 12, 31), today)
    start = timezone.make_aware(datetime.datetime(year, 1, 1))
    end = _end_of_day(on)
    in_year = Q(first_seen_at__gte=start, first_seen_at__lt=end)
    open_on = open_on_q(on)
    closed_in_year = Q(closed_at__gte=start, closed_at__lt=end)
    per_rule = {
        row["rule"]: row
        for row in Finding.objects.values("rule").annotate(
            found=Count("id", filter=in_year),
            open=Count("id", filter=open_on),
            closed=Count("id", filter=closed_in_year & Q(status=Finding.Status.CLOSED)),
            waived=Count("id", filter=closed_in_year & Q(status=Finding.Status.WAIVED)),
        )
    }
    summary = FindingsSummary(year=year, on=on)
    for rule, label in Rule.choices:
        row = per_rule.get(rule, {})
        summary.rules.append(
            RuleRow(
                rule=rule,
                label=str(label),
                found=row.get("found", 0),
                open=row.get("open", 0),
                closed=row.get("closed", 0),
                waived=row.get("waived", 0),
            )
        )
    open_qs = Finding.objects.filter(open_on)
    districts: dict[str, DistrictRow] = {}
    for row in (
        open_qs.values("district__code", "district__name", "severity")
        .annotate(n=Count("id"))
        .order_by("district__code", "severity")
    ):
        name = row["district__name"] or _("全市（未分区）")
        target = districts.setdefault(row["district__code"] or "", DistrictRow(name=name))
        setattr(target, row["severity"], getattr(target, row["severity"]) + row["n"])
    summary.districts = list(districts.values())
    age_counts = open_qs.aggregate(
        **{f"a{i}": Count("id", filter=_age_q(on, low, high)) for i, (low, high, _label) in enumerate(AGE_BUCKETS)}
    )
    summary.ages = [(_(label), age_counts[f"a{i}"]) for i, (_l, _h, label) in enumerate(AGE_BUCKETS)]
    summary.oldest = list(
        open_qs.select_related("district", "town", "organisation").order_by("first_seen_at", "id")[:oldest]
    )
    return summary


def _age_q(on: datetime.date, low: int, high: int | None) -> Q:
    """First seen between `high` and `low` days before `on` (inclusive)."""
    q = Q(first_seen_at__lt=_end_of_day(on - datetime.timedelta(days=low)))
    if high is not None:
        q &= Q(first_seen_at__gte=_end_of_day(on - datetime.timedelta(days=high + 1)))
    return q


def area_findings(area: Area) -> QuerySet[Finding]:
    """The findings of an area open on its day (the home page: now; the annual report: its last day): the city,
    districts, towns or the agencies' own."""
    if area.purpose == Area.DASHBOARD:
        qs = Finding.objects.filter(closed_at__isnull=True)
    else:
        qs = Finding.objects.filter(open_on_q(area.on))
    if area.is_city:
        return qs
    if area.district_ids:
        return qs.filter(district_id__in=area.district_ids)
    if area.town_ids:
        return qs.filter(town_id__in=area.town_ids)
    if area.agency_ids:
        return qs.filter(
            Q(organisation_id__in=area.agency_ids) | Q(package__agency__organisation_id__in=area.agency_ids)
        )
    return qs.none()


@register
def compliance_figures(area: Area) -> list[FigureGroup]:
    """Open findings by severity: a number each, linking to the filtered findings list (one query)."""
    counts = area_findings(area).aggregate(
        **{severity: Count("id", filter=Q(severity=severity)) for severity in Finding.Severity.values}
    )
    linked = area.purpose == Area.DASHBOARD
    url = reverse("compliance:finding-list") if linked else ""
    figures = [
        Figure(
            label=str(label),
            value=counts[severity],
            url=f"{url}?severity={severity}" if linked else "",
            key=f"findings_{severity}",
            alert=severity != Finding.Severity.INFO and counts[severity] > 0,
        )
        for severity, label in reversed(Finding.Severity.choices)
    ]
    title = _("未关闭的合规问题") if linked else _("合规检查：年末未关闭的问题")
    return [FigureGroup(title=title, figures=figures, order=11, key="findings")]

"""The numbers of the dashboards and of R3, computed once: `area_figures` (an area's packages, coverage, progress,
reports, evaluations and money — what a home page shows) and `city_annual` (the city annual report's figures for a
year: the public statistics with year-on-year change, money by source, coverage, focus issues, community funds and
evaluation grades). The dashboard, the R3 PDF and their charts all read these; nothing recomputes a figure.

Each is a fixed number of aggregate queries whatever the data size (pinned by tests at two sizes). Nothing is
cached (docs/PERFORMANCE.md): the heaviest, `city_annual`, is the public statistics page's cost plus four queries.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from core.dashboard import Area
from delivery.models import FocusIssue, ServiceReport
from delivery.progress import items_lagging
from delivery.workflow import S5, report_calendar, unresolved_statuses
from directory.models import Community, Town
from evaluation.models import Evaluation, Grade
from funds.models import FundingSource
from funds.selectors import SourceYearRow, fund_statistics, source_year_totals
from procurement.models import ServicePackage

from .statistics import CityStatistics, YearRow, city_statistics, in_service_q

ZERO = Decimal("0.00")
EVALUATIONS_DUE_WITHIN = datetime.timedelta(days=30)


# --- an area's packages ---------------------------------------------------------------------------


def area_packages(area: Area) -> QuerySet[ServicePackage]:
    """Every package of the area, whatever its status (the city: all; a district's or town's by place; an
    agency's by its organisation)."""
    qs = ServicePackage.objects.select_related("town__district", "agency__organisation", "round")
    if area.kind == "city":
        return qs
    if area.kind == "district":
        return qs.filter(town__district_id__in=area.district_ids)
    if area.kind == "town":
        return qs.filter(town_id__in=area.town_ids)
    if area.kind == "agency":
        return qs.filter(agency__organisation_id__in=area.agency_ids)
    return qs.none()


def area_sources(area: Area) -> QuerySet[FundingSource]:
    """Sources whose money the area's figures show: the city's, and the district budgets of the area's districts
    (every district's for the city)."""
    qs = FundingSource.objects.select_related("district")
    if area.kind == "city":
        return qs
    districts = area_packages(area).values("town__district_id")
    return qs.filter(Q(district__isnull=True) | Q(district_id__in=districts))


# --- what a dashboard shows -------------------------------------------------------------------------


@dataclass
class PackageFlag:
    """A package on a dashboard list, with why it is there."""

    package: ServicePackage
    lagging_items: int = 0
    counting_items: int = 0
    overdue_months: list[tuple[int, int]] = field(default_factory=list)


@dataclass
class PlaceRow:
    """One row of an area's breakdown: a district (city), a town (district, agency) or a community (town)."""

    label: str
    kind: str = ""  # community: urban/village; else ""
    covered: bool = False
    packages: int = 0
    annual_amount: Decimal = ZERO
    communities: int = 0
    villages: int = 0
    towns: int = 0
    towns_covered: int = 0
    items: int = 0
    lagging_items: int = 0
    focus_open: int = 0
    focus_resolved: int = 0


@dataclass
class AreaFigures:
    area: Area
    packages: list[ServicePackage]  # in service on area.on
    annual_amount: Decimal
    towns: int
    towns_covered: int
    communities_covered: int
    villages_covered: int
    lagging: list[PackageFlag]  # packages in service with at least one lagging item (S4)
    overdue: list[PackageFlag]  # packages in service with at least one overdue month (S1)
    evaluations_due: list[Evaluation]  # not finalised, due within 30 days or past due (A2)
    focus_open: int
    focus_resolved: int  # resolved in area.on's year (S5)
    sources: list[SourceYearRow]  # money committed and paid by source, budget year area.on.year (F2, F3)
    places: list[PlaceRow]
    items: int = 0
    lagging_items: int = 0

    @property
    def committed(self) -> Decimal:
        return sum((s.committed for s in self.sources), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((s.paid for s in self.sources), ZERO)


def area_figures(area: Area) -> AreaFigures:
    """An area's figures on `area.on`. A fixed number of queries: towns and their communities (2), the packages
    in service (1), S4 over all their items (2), their reports (1), evaluations due (1), focus issues (1), money
    by source (4)."""
    on = area.on
    every = area_packages(area)
    serving = list(every.filter(in_service_q(on)).order_by("town__district__code", "town__name", "pk"))
    serving_ids = [p.pk for p in serving]
    covered_town_ids = {p.town_id for p in serving}

    towns = _area_towns(area, serving)
    communities = _area_communities(area, towns)
    items = items_lagging(serving, on)

    lagging_by_package: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for item, lagging in items:
        counts = lagging_by_package[item.package_id]
        counts[0] += lagging
        counts[1] += 1
    lagging = [
        PackageFlag(package=p, lagging_items=lagging_by_package[p.pk][0], counting_items=lagging_by_package[p.pk][1])
        for p in serving
        if lagging_by_package[p.pk][0]
    ]

    reports: dict[int, list[ServiceReport]] = defaultdict(list)
    for r in ServiceReport.objects.filter(package_id__in=serving_ids).only(
        "package_id", "year", "month", "version", "status"
    ):
        reports[r.package_id].append(r)
    overdue = []
    for p in serving:
        months = [(m.year, m.month) for m in report_calendar(p, reports[p.pk], on) if m.overdue]
        if months:
            overdue.append(PackageFlag(package=p, overdue_months=months))

    evaluations_due = list(
        Evaluation.objects.filter(package__in=every.values("pk"), due_on__lte=on + EVALUATIONS_DUE_WITHIN)
        .exclude(status=Evaluation.Status.FINALISED)
        .select_related("package__town", "package__agency__organisation")
        .order_by("due_on", "pk")
    )

    focus = _focus_counts(area, every, on)

    rows = _place_rows(area, towns, communities, serving, items, focus)
    covered_communities = [c for c in communities if c.town_id in covered_town_ids]
    return AreaFigures(
        area=area,
        packages=serving,
        annual_amount=sum((p.annual_amount for p in serving), ZERO),
        towns=len(towns),
        towns_covered=sum(1 for t in towns if t.pk in covered_town_ids),
        communities_covered=sum(1 for c in covered_communities if c.kind == Community.Kind.URBAN),
        villages_covered=sum(1 for c in covered_communities if c.kind == Community.Kind.VILLAGE),
        lagging=lagging,
        overdue=overdue,
        evaluations_due=evaluations_due,
        focus_open=sum(v["open"] for v in focus.values()),
        focus_resolved=sum(v["resolved"] for v in focus.values()),
        sources=source_year_totals(sources=area_sources(area), year=on.year, packages=None if area.is_city else every),
        places=rows,
        items=len(items),
        lagging_items=sum(1 for _i, lag in items if lag),
    )


def _area_towns(area: Area, serving: list[ServicePackage]) -> list[Town]:
    qs = Town.objects.select_related("district").order_by("district__code", "name")
    if area.kind == "district":
        qs = qs.filter(district_id__in=area.district_ids)
    elif area.kind == "town":
        qs = qs.filter(pk__in=area.town_ids)
    elif area.kind == "agency":
        qs = qs.filter(pk__in={p.town_id for p in serving})
    return list(qs)


def _area_communities(area: Area, towns: list[Town]) -> list[Community]:
    qs = Community.objects.only("pk", "name", "kind", "town_id").order_by("town_id", "name")
    if not area.is_city:
        qs = qs.filter(town_id__in=[t.pk for t in towns])
    return list(qs)


def _focus_counts(area: Area, every: QuerySet, on: datetime.date) -> dict[int, dict[str, int]]:
    """{community id: {"open": n, "resolved": n (in on's year)}} of the area's focus issues (S5)."""
    qs = FocusIssue.objects.all()
    if area.kind == "district":
        qs = qs.filter(community__town__district_id__in=area.district_ids)
    elif area.kind == "town":
        qs = qs.filter(community__town_id__in=area.town_ids)
    elif area.kind == "agency":
        qs = qs.filter(package__in=every.values("pk"))
    rows = (
        qs.order_by()
        .values("community_id")
        .annotate(
            open=Count("pk", filter=Q(status__in=unresolved_statuses(S5))),
            resolved=Count(
                "pk",
                filter=Q(status=FocusIssue.Status.RESOLVED, resolved_on__year=on.year, resolved_on__lte=on),
            ),
        )
    )
    return {r["community_id"]: {"open": r["open"], "resolved": r["resolved"]} for r in rows}


def _place_rows(area, towns, communities, serving, items, focus) -> list[PlaceRow]:
    covered_town_ids = {p.town_id for p in serving}
    town_of_community = {c.pk: c.town_id for c in communities}
    if area.kind == "town":
        rows = {c.pk: PlaceRow(label=c.name, kind=c.kind, covered=c.town_id in covered_town_ids) for c in communities}
        town_level = PlaceRow(label="", kind="town", covered=bool(covered_town_ids))
        for item, lagging in items:
            row = rows.get(item.community_id, town_level)
            row.items += 1
            row.lagging_items += lagging
        for community_id, counts in focus.items():
            if community_id in rows:
                rows[community_id].focus_open += counts["open"]
                rows[community_id].focus_resolved += counts["resolved"]
        return list(rows.values()) + ([town_level] if town_level.items else [])

    # City: by district; district and agency: by town.
    def key_of_town(town: Town):
        return town.district_id if area.is_city else town.pk

    rows: dict[int, PlaceRow] = {}
    for town in towns:
        key = key_of_town(town)
        label = town.district.name if area.is_city else town.name
        row = rows.setdefault(key, PlaceRow(label=label))
        row.towns += 1
        row.towns_covered += town.pk in covered_town_ids
        row.covered = row.covered or town.pk in covered_town_ids
    town_key = {t.pk: key_of_town(t) for t in towns}
    for community in communities:
        if community.town_id in covered_town_ids and community.town_id in town_key:
            row = rows[town_key[community.town_id]]
            if community.kind == Community.Kind.VILLAGE:
                row.villages += 1
            else:
                row.communities += 1
    for package in serving:
        row = rows[town_key[package.town_id]]
        row.packages += 1
        row.annual_amount += package.annual_amount
    package_town = {p.pk: p.town_id for p in serving}
    for item, lagging in items:
        row = rows.get(town_key.get(package_town.get(item.package_id)))
        if row is not None:
            row.items += 1
            row.lagging_items += lagging
    for community_id, counts in focus.items():
        town_id = town_of_community.get(community_id)
        if town_id in town_key:
            rows[town_key[town_id]].focus_open += counts["open"]
            rows[town_key[town_id]].focus_resolved += counts["resolved"]
    return list(rows.values())


# --- R3: the city annual report ----------------------------------------------------------------------------


@dataclass
class Change:
    """A figure of the year with the year before and the change between them (year-on-year)."""

    label: str
    value: object
    previous: object | None
    unit: str = ""

    @property
    def delta(self):
        if self.previous is None or self.value is None:
            return None
        return self.value - self.previous

    @property
    def delta_pct(self) -> Decimal | None:
        if not self.previous or self.delta is None:
            return None
        return (Decimal(self.delta) * 100 / Decimal(self.previous)).quantize(Decimal("0.1"))


@dataclass
class CityAnnual:
    year: int
    on: datetime.date  # 31 December of the year, or today for the current year
    stats: CityStatistics
    this_year: YearRow
    last_year: YearRow | None
    changes: list[Change]
    sources: list[SourceYearRow]
    funds: dict
    grades: list[tuple[str, str, int]]  # (grade code, label, finalised evaluations in the year)

    @property
    def committed(self) -> Decimal:
        return sum((s.committed for s in self.sources), ZERO)

    @property
    def paid(self) -> Decimal:
        return sum((s.paid for s in self.sources), ZERO)

    @property
    def evaluations(self) -> int:
        return sum(n for _c, _l, n in self.grades)


def year_end(year: int, today: datetime.date | None = None) -> datetime.date:
    today = today or timezone.localdate()
    return min(datetime.date(year, 12, 31), today)


def city_annual(year: int, *, today: datetime.date | None = None) -> CityAnnual:
    """R3's figures for `year`, taken on its 31 December (today for the current year): the public city statistics
    (`city_statistics`, so the statistics page, the dashboard and R3 agree) with the year before, money by source
    for the budget year, community funds' assets on that day and the grades of the evaluations finalised in the
    year."""
    on = year_end(year, today)
    stats = city_statistics(on)
    by_year = {row.year: row for row in stats.years}
    this_year = by_year.get(year) or YearRow(year=year)
    last_year = by_year.get(year - 1)

    def prev(attr):
        return getattr(last_year, attr) if last_year is not None else None

    changes = [
        Change(_("具备资格的社工机构"), this_year.agencies, prev("agencies"), _("家")),
        Change(_("社会工作者"), this_year.social_workers, prev("social_workers"), _("人")),
        Change(_("持证社工"), this_year.certified, prev("certified"), _("人")),
        Change(_("持证比例"), this_year.certified_share, last_year.certified_share if last_year else None, "%"),
        Change(_("服务中的项目包"), this_year.packages, prev("packages"), _("个")),
        Change(_("解决的社区焦点问题"), this_year.focus_resolved, prev("focus_resolved"), _("个")),
    ]
    grade_counts = dict(
        Evaluation.objects.filter(status=Evaluation.Status.FINALISED, finalised_at__year=year)
        .order_by()
        .values_list("grade")
        .annotate(n=Count("pk"))
        .values_list("grade", "n")
    )
    grades = [(code, str(label), grade_counts.get(code, 0)) for code, label in Grade.choices]
    return CityAnnual(
        year=year,
        on=on,
        stats=stats,
        this_year=this_year,
        last_year=last_year,
        changes=changes,
        sources=source_year_totals(sources=FundingSource.objects.select_related("district"), year=year),
        funds=fund_statistics(on=on),
        grades=grades,
    )

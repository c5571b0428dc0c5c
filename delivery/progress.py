"""Progress of a package's plan items (S4): confirmed output to date against the annual target and against the
elapsed share of the plan year. Plan years run from the package's start date (year 1 = the first twelve
months). Reads a constant number of queries, whatever the number of items and reports."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.db.models import Q, QuerySet, Sum

from catalog.models import ServiceItem
from delivery.models import PlanItem, ReportLine, ServicePlan, ServiceReport
from procurement.models import ServicePackage
from procurement.services.packages import add_years

# Which report measure counts against an item, by the item's output unit (C2).
UNIT_MEASURE = {
    "session": "sessions",
    "attendance": "attendances",
    "household": "households",
    "case": "households",
}
HUNDRED = Decimal("100")
ONE_PLACE = Decimal("0.1")


def plan_year_of(package: ServicePackage, day: datetime.date) -> int:
    """The plan year (1, 2, …) that `day` falls in; days before the start belong to year 1."""
    year = 1
    while add_years(package.starts_on, year) <= day:
        year += 1
    return year


def plan_year_bounds(package: ServicePackage, year: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of plan year `year` (the last is capped at the package's end)."""
    first = add_years(package.starts_on, year - 1)
    last = add_years(package.starts_on, year) - datetime.timedelta(days=1)
    return first, min(last, package.ends_on)


def plan_year_for_month(package: ServicePackage, year: int, month: int) -> int:
    """A monthly report belongs to the plan year its first day falls in (the start month to year 1)."""
    return plan_year_of(package, max(datetime.date(year, month, 1), package.starts_on))


def approved_plan(package: ServicePackage) -> ServicePlan | None:
    """The package's plan once the bureau has approved it (also while an amendment is under way)."""
    return (
        ServicePlan.objects.filter(package=package)
        .filter(Q(status=ServicePlan.Status.APPROVED) | Q(approved_at__isnull=False))
        .first()
    )


def approved_plan_items(packages) -> QuerySet[PlanItem]:
    """Items (every plan year) of the approved plans of `packages` (a queryset or list), loaded for S4 and in
    plan order; P3's `counts` is applied by the caller. One query for any number of packages."""
    items = PlanItem.objects.filter(plan__package__in=packages).filter(
        Q(plan__status=ServicePlan.Status.APPROVED) | Q(plan__approved_at__isnull=False)
    )
    return items.select_related("item__category", "community").order_by("community__name", "item__code", "pk")


def counting_items(package: ServicePackage, plan_year: int) -> list[PlanItem]:
    """Items of the approved plan for `plan_year` that count (P3: filed items once approved), in plan order."""
    return [i for i in approved_plan_items([package]).filter(year=plan_year) if i.counts]


def measure_of(item: PlanItem) -> str:
    return UNIT_MEASURE.get(item.unit, "sessions")


def unit_label(item: PlanItem) -> str:
    """The item's output unit as users read it (次, 人次, 户, 个)."""
    return str(ServiceItem.Unit(item.unit).label) if item.unit in ServiceItem.Unit.values else item.unit


def _pct(part: Decimal, whole: Decimal) -> Decimal:
    if whole <= 0:
        return Decimal("0.0")
    return (part * HUNDRED / whole).quantize(ONE_PLACE, ROUND_HALF_UP)


@dataclass
class ItemProgress:
    plan_item: PlanItem
    target: int
    output_to_date: int
    progress_pct: Decimal  # output ÷ target, in %
    expected_pct: Decimal  # elapsed share of the plan year, in %
    lagging: bool  # progress < threshold % of expected (S4)

    @property
    def measure(self) -> str:
        return measure_of(self.plan_item)

    @property
    def unit(self) -> str:
        return unit_label(self.plan_item)

    @property
    def bar_pct(self) -> Decimal:
        return min(self.progress_pct, HUNDRED)


@dataclass
class PackageProgress:
    plan_year: int
    year_starts_on: datetime.date
    year_ends_on: datetime.date
    on: datetime.date
    expected_pct: Decimal
    threshold: Decimal
    items: list[ItemProgress]

    @property
    def lagging_count(self) -> int:
        return sum(1 for i in self.items if i.lagging)


def expected_share(package: ServicePackage, on: datetime.date) -> tuple[int, datetime.date, datetime.date, Decimal]:
    """(plan year, its first day, its last day, elapsed share in %) on `on`; the day `on` counts as elapsed."""
    day = min(on, package.ends_on)
    plan_year = plan_year_of(package, day)
    first, last = plan_year_bounds(package, plan_year)
    total = Decimal((last - first).days + 1)
    elapsed = Decimal(max(0, min((day - first).days + 1, int(total))))
    if on < package.starts_on:
        elapsed = Decimal(0)
    return plan_year, first, last, _pct(elapsed, total)


def confirmed_output(plan_item_ids, on: datetime.date, package: ServicePackage | None = None) -> dict[int, dict]:
    """{plan item id: {"sessions", "attendances", "households"}} summed over CONFIRMED report lines (superseded
    versions excluded) of months up to `on`; one query for any number of items (and packages)."""
    lines = ReportLine.objects.filter(plan_item__in=list(plan_item_ids), report__status=ServiceReport.Status.CONFIRMED)
    if package is not None:
        lines = lines.filter(report__package=package)
    return {
        row["plan_item_id"]: row
        for row in lines.filter(Q(report__year__lt=on.year) | Q(report__year=on.year, report__month__lte=on.month))
        .values("plan_item_id")
        .annotate(sessions=Sum("sessions"), attendances=Sum("attendances"), households=Sum("households"))
        .order_by()
    }


def progress_of(
    package: ServicePackage, on: datetime.date, items: list[PlanItem], sums: dict[int, dict]
) -> PackageProgress:
    """S4 over already fetched data (no queries): `items` the counting items of the plan year `on` falls in,
    `sums` from `confirmed_output`. An item is lagging when progress < threshold % of the expected share."""
    plan_year, first, last, expected = expected_share(package, on)
    threshold = package.round.lagging_threshold
    rows = []
    for item in items:
        output = int((sums.get(item.pk) or {}).get(measure_of(item)) or 0)
        progress = _pct(Decimal(output), Decimal(item.annual_target))
        rows.append(
            ItemProgress(
                plan_item=item,
                target=item.annual_target,
                output_to_date=output,
                progress_pct=progress,
                expected_pct=expected,
                lagging=progress < expected * threshold / HUNDRED,
            )
        )
    return PackageProgress(
        plan_year=plan_year,
        year_starts_on=first,
        year_ends_on=last,
        on=on,
        expected_pct=expected,
        threshold=threshold,
        items=rows,
    )


def package_progress_report(package: ServicePackage, on: datetime.date) -> PackageProgress:
    """S4 for every counting item of the plan year that `on` falls in: output is the sum of the measure matching
    the item's unit over CONFIRMED report lines (superseded versions excluded) of months up to `on`."""
    plan_year = expected_share(package, on)[0]
    items = counting_items(package, plan_year)
    return progress_of(package, on, items, confirmed_output([i.pk for i in items], on, package=package))


def package_progress(package: ServicePackage, on: datetime.date) -> list[ItemProgress]:
    """S4 per plan item on the date `on` (see `package_progress_report` for the plan-year context)."""
    return package_progress_report(package, on).items


class CountingItem(NamedTuple):
    """A plan item as the dashboards count it: which package and place it belongs to."""

    pk: int
    package_id: int
    community_id: int | None


def items_lagging(packages, on: datetime.date) -> list[tuple[CountingItem, bool]]:
    """S4 for many packages at once (dashboards): every counting item of each package's plan year that `on` falls
    in, with whether it lags. Two queries whatever the number of packages, items and reports; the same arithmetic
    as `package_progress_report` (packages need `round` loaded). Read as plain values, not model instances: the
    city's home page counts ~12,000 items at scale 1, and building three model objects per item took a second."""
    packages = {p.pk: p for p in packages}
    if not packages:
        return []
    years = {pk: expected_share(p, on) for pk, p in packages.items()}
    rows = (
        PlanItem.objects.filter(plan__package_id__in=list(packages))
        .filter(Q(plan__status=ServicePlan.Status.APPROVED) | Q(plan__approved_at__isnull=False))
        .order_by()
        .values_list(
            "pk",
            "plan__package_id",
            "community_id",
            "year",
            "annual_target",
            "is_filed",
            "filed_status",
            "filed_unit",
            "item__unit",
        )
    )
    items: list[tuple[CountingItem, int, str]] = []
    for pk, package_id, community_id, year, target, is_filed, filed_status, filed_unit, unit in rows:
        if not PlanItem.counts_when(is_filed, filed_status):  # P3
            continue
        if year != years[package_id][0]:
            continue
        measure = UNIT_MEASURE.get(PlanItem.unit_of(is_filed, filed_unit, unit), "sessions")
        items.append((CountingItem(pk, package_id, community_id), target, measure))
    sums = {
        row["plan_item_id"]: row
        for row in ReportLine.objects.filter(
            plan_item__plan__package_id__in=list(packages), report__status=ServiceReport.Status.CONFIRMED
        )
        .filter(Q(report__year__lt=on.year) | Q(report__year=on.year, report__month__lte=on.month))
        .values("plan_item_id")
        .annotate(sessions=Sum("sessions"), attendances=Sum("attendances"), households=Sum("households"))
        .order_by()
    }
    result = []
    for item, target, measure in items:
        expected = years[item.package_id][3]
        threshold = packages[item.package_id].round.lagging_threshold
        output = int((sums.get(item.pk) or {}).get(measure) or 0)
        progress = _pct(Decimal(output), Decimal(target))
        result.append((item, progress < expected * threshold / HUNDRED))
    return result


def packages_lagging(packages, on: datetime.date) -> dict[int, tuple[int, int]]:
    """{package id: (lagging items, counting items)} on `on` (see `items_lagging`)."""
    packages = list(packages)
    result = {p.pk: (0, 0) for p in packages}
    for item, lagging in items_lagging(packages, on):
        n, total = result[item.package_id]
        result[item.package_id] = (n + lagging, total + 1)
    return result

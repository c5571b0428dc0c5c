"""City statistics, public (the role table: anyone sees "city statistics"): the figures the city reports —
qualified agencies and social workers over the years, packages and the towns, communities and villages they
reach, the purchase amount, focus issues resolved. Aggregates only: no person, bid or private file.

Definitions (the page states them too):
- a package is *in service* on a day when the day lies within its period and it is not terminated (the
  platform keeps no termination date, so a terminated package is left out of every year);
  a town is covered when it has a package in service, and so are all its communities and villages
  (街镇打包、村居落地: a package serves the whole town, P4 puts basic services in every community);
- an agency counts as qualified on a day when it passes Q1 that day (`rules.q1_qualified_q`, the same
  conditions as `rules.qualification_check`);
- a social worker is a person (by resident ID, so someone on two rosters counts once) employed by an agency
  that day; certified when holding a certificate valid that day (Q3); stationed when, employed that day,
  they are assigned to a package in service;
- a year's figure is taken on 31 December (today for the current year); focus issues count in the year of
  their resolution date (S5), from 2016 on.

A handful of aggregate queries over whole tables (each year is a filtered count inside the same query), so
the page costs the same number of queries whatever the data size.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils import timezone

from delivery.models import FocusIssue
from directory.models import Community, District, Town
from procurement.models import Certificate, ServicePackage, StaffAssignment, StaffMember
from procurement.rules import q1_qualified_q

FIRST_YEAR = 2016  # the city-level pilot


def in_service_q(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}starts_on__lte": day, f"{prefix}ends_on__gte": day}) & ~Q(
        **{f"{prefix}status": ServicePackage.Status.TERMINATED}
    )


def _employed_q(day: datetime.date, prefix: str = "") -> Q:
    return Q(**{f"{prefix}employed_from__lte": day}) & (
        Q(**{f"{prefix}employed_until__isnull": True}) | Q(**{f"{prefix}employed_until__gte": day})
    )


@dataclass
class YearRow:
    year: int
    agencies: int = 0
    social_workers: int = 0
    certified: int = 0
    packages: int = 0
    focus_resolved: int = 0

    @property
    def certified_share(self) -> Decimal | None:
        return _share(self.certified, self.social_workers)


@dataclass
class DistrictRow:
    district: District
    towns: int = 0
    towns_covered: int = 0
    communities_covered: int = 0
    villages_covered: int = 0
    packages: int = 0
    annual_amount: Decimal = Decimal("0.00")


@dataclass
class CityStatistics:
    on: datetime.date
    agencies: int
    social_workers: int
    certified: int
    stationed: int
    packages: int
    agencies_running: int
    towns: int
    towns_covered: int
    communities_covered: int
    villages_covered: int
    annual_amount: Decimal
    focus_resolved: int
    years: list[YearRow] = field(default_factory=list)
    districts: list[DistrictRow] = field(default_factory=list)

    @property
    def certified_share(self) -> Decimal | None:
        return _share(self.certified, self.social_workers)


def _share(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"))


def _year_days(today: datetime.date) -> dict[int, datetime.date]:
    return {y: datetime.date(y, 12, 31) if y < today.year else today for y in range(FIRST_YEAR, today.year + 1)}


def city_statistics(today: datetime.date | None = None) -> CityStatistics:
    today = today or timezone.localdate()
    days = _year_days(today)
    from procurement.models import Agency

    # Agencies qualified on each year's day (today's is the last year's).
    agencies = Agency.objects.aggregate(
        **{f"y{y}": Count("pk", filter=q1_qualified_q(d), distinct=True) for y, d in days.items()}
    )

    # Social workers employed, and certified, on each year's day.
    def certified_on(day):
        return Exists(Certificate.objects.filter(staff=OuterRef("pk"), issued_on__lte=day, expires_on__gte=day))

    staff = StaffMember.objects.annotate(**{f"holds{y}": certified_on(d) for y, d in days.items()}).aggregate(
        **{f"s{y}": Count("resident_id", filter=_employed_q(d), distinct=True) for y, d in days.items()},
        **{
            f"c{y}": Count("resident_id", filter=_employed_q(d) & Q(**{f"holds{y}": True}), distinct=True)
            for y, d in days.items()
        },
    )

    packages = ServicePackage.objects.aggregate(
        **{f"y{y}": Count("pk", filter=in_service_q(d)) for y, d in days.items()},
        running=Count("agency", filter=in_service_q(today), distinct=True),
        amount=Sum("annual_amount", filter=in_service_q(today)),
    )
    stationed = (
        StaffAssignment.objects.filter(in_service_q(today, "package__"), _employed_q(today, "staff__"))
        .filter(Q(starts_on__lte=today), Q(ends_on__isnull=True) | Q(ends_on__gte=today))
        .aggregate(n=Count("staff__resident_id", distinct=True))["n"]
    )
    resolved = dict(
        FocusIssue.objects.filter(
            status=FocusIssue.Status.RESOLVED, resolved_on__year__gte=FIRST_YEAR, resolved_on__lte=today
        )
        .order_by()
        .values_list("resolved_on__year")
        .annotate(n=Count("pk"))
        .values_list("resolved_on__year", "n")
    )

    years = [
        YearRow(
            year=y,
            agencies=agencies[f"y{y}"],
            social_workers=staff[f"s{y}"],
            certified=staff[f"c{y}"],
            packages=packages[f"y{y}"],
            focus_resolved=resolved.get(y, 0),
        )
        for y in days
    ]

    districts = _district_rows(today)
    this_year = years[-1]
    return CityStatistics(
        on=today,
        agencies=this_year.agencies,
        social_workers=this_year.social_workers,
        certified=this_year.certified,
        stationed=stationed,
        packages=this_year.packages,
        agencies_running=packages["running"],
        towns=sum(r.towns for r in districts),
        towns_covered=sum(r.towns_covered for r in districts),
        communities_covered=sum(r.communities_covered for r in districts),
        villages_covered=sum(r.villages_covered for r in districts),
        annual_amount=packages["amount"] or Decimal("0.00"),
        focus_resolved=sum(resolved.values()),
        years=years,
        districts=districts,
    )


def _district_rows(today: datetime.date) -> list[DistrictRow]:
    rows = {d.pk: DistrictRow(district=d) for d in District.objects.order_by("code")}
    serving = ServicePackage.objects.filter(in_service_q(today))
    covered_towns = serving.values("town_id")
    for district_id, towns, covered in (
        Town.objects.order_by()
        .values_list("district_id")
        .annotate(n=Count("pk"), covered=Count("pk", filter=Q(pk__in=covered_towns)))
    ):
        rows[district_id].towns, rows[district_id].towns_covered = towns, covered
    for district_id, n, amount in (
        serving.order_by().values_list("town__district_id").annotate(n=Count("pk"), amount=Sum("annual_amount"))
    ):
        rows[district_id].packages, rows[district_id].annual_amount = n, amount
    by_kind: dict[int, dict[str, int]] = defaultdict(dict)
    for district_id, kind, n in (
        Community.objects.filter(town_id__in=covered_towns)
        .order_by()
        .values_list("town__district_id", "kind")
        .annotate(n=Count("pk"))
    ):
        by_kind[district_id][kind] = n
    for district_id, kinds in by_kind.items():
        rows[district_id].communities_covered = kinds.get(Community.Kind.URBAN, 0)
        rows[district_id].villages_covered = kinds.get(Community.Kind.VILLAGE, 0)
    return list(rows.values())

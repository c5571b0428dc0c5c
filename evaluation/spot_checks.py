"""K10 — spot checks (抽查): once a year the bureau draws at least `COMPLIANCE_SPOT_CHECK_SHARE` % of the
packages that have run more than a year, stratified by district, reproducibly from a recorded seed.

Pure rules: `k10_candidates` reads the eligible packages in one query, `k10_draw` draws from them without the
database. Each district draws ceil(share × its eligible count); packages running more than two years that were
never drawn before come first (priority), the rest are drawn with `random.Random(seed)` over the packages
ordered by id, district by district in id order — so the same seed and the same data give the same draw."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Exists, OuterRef

from procurement.models import ServicePackage

from .models import SpotCheckPick
from .scoring import add_months

ELIGIBLE_AFTER_MONTHS = 12  # K10: packages that have run more than a year
PRIORITY_AFTER_MONTHS = 24  # never drawn in their first two years: drawn first


@dataclass(frozen=True)
class Candidate:
    package_id: int
    district_id: int
    starts_on: datetime.date
    drawn_before: bool


@dataclass(frozen=True)
class Drawn:
    package_id: int
    district_id: int
    priority: bool


def k10_is_eligible(starts_on: datetime.date, on: datetime.date) -> bool:
    """K10: a package is eligible once it has run more than a year on the draw date."""
    return starts_on < add_months(on, -ELIGIBLE_AFTER_MONTHS)


def k10_is_priority(candidate: Candidate, on: datetime.date) -> bool:
    """K10: running more than two years and never drawn before → drawn first."""
    return not candidate.drawn_before and candidate.starts_on < add_months(on, -PRIORITY_AFTER_MONTHS)


def k10_quota(share: int, eligible: int) -> int:
    """Each district draws ceil(share % × its eligible packages)."""
    return -(-share * eligible // 100)


def k10_candidates(on: datetime.date) -> list[Candidate]:
    """The packages in service on `on` (active, within their period) that have run more than a year, with their
    district and whether an earlier draw picked them; one query."""
    rows = (
        ServicePackage.objects.filter(
            status=ServicePackage.Status.ACTIVE,
            starts_on__lt=add_months(on, -ELIGIBLE_AFTER_MONTHS),
            ends_on__gte=on,
        )
        .annotate(drawn_before=Exists(SpotCheckPick.objects.filter(package=OuterRef("pk"))))
        .order_by("pk")
        .values_list("pk", "town__district_id", "starts_on", "drawn_before")
    )
    return [Candidate(*row) for row in rows]


def k10_draw(candidates: list[Candidate], *, share: int, seed: str, on: datetime.date) -> list[Drawn]:
    """K10's draw, stratified by district: priority packages first, the rest at random from `seed`."""
    rnd = random.Random(seed)
    by_district: dict[int, list[Candidate]] = defaultdict(list)
    for candidate in sorted(candidates, key=lambda c: c.package_id):
        by_district[candidate.district_id].append(candidate)
    drawn: list[Drawn] = []
    for district_id in sorted(by_district):
        pool = by_district[district_id]
        quota = k10_quota(share, len(pool))
        priority = [c for c in pool if k10_is_priority(c, on)]
        rest = [c for c in pool if not k10_is_priority(c, on)]
        if len(priority) >= quota:
            first, others = rnd.sample(priority, quota), []
        else:
            first, others = priority, rnd.sample(rest, quota - len(priority))
        drawn += [Drawn(c.package_id, district_id, True) for c in sorted(first, key=lambda c: c.package_id)]
        drawn += [Drawn(c.package_id, district_id, False) for c in sorted(others, key=lambda c: c.package_id)]
    return drawn

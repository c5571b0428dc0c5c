"""The arithmetic of A1, A3 and A4 in one place, free of the database so every caller computes alike.

- A score is 0..max in steps of 0.5 (A3); a score below 60% of the maximum needs a comment.
- A sheet's total on the rubric (out of 100): Σ over dimensions of weight × (Σ scores ÷ Σ maxima of the
  dimension's indicators). With the shipped rubric each dimension's maxima add up to its weight, so the total
  is simply the sum of the scores; the normalisation keeps a revised rubric honest when they do not.
- Package score = mean of the evaluators' totals; spread = highest − lowest total (flagged above 15 points).
- Final score = package score × (100 − w) / 100 + two-way score × w / 100, w = the rubric's two-way weight
  (default 20, A4); grade by the A4 bands.
All results are rounded half-up to 2 places.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from .models import Grade

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
STEP = Decimal("0.5")
COMMENT_THRESHOLD = Decimal("0.6")  # A3: below 60% of the maximum needs a comment
SPREAD_FLAG = Decimal("15")  # A4: the bureau looks again when evaluators differ by more than this
GRADE_BANDS: list[tuple[Decimal, str]] = [
    (Decimal("90"), Grade.EXCELLENT),
    (Decimal("80"), Grade.GOOD),
    (Decimal("60"), Grade.PASS),
]
PERIOD_RE = re.compile(r"^(\d{4})H([12])$")


def plain(value: Decimal) -> str:
    """A Decimal as people write it: 90, 4.5 (never 9E+1 or 4.50)."""
    return format(value.normalize(), "f")


def q2(value: Decimal) -> Decimal:
    return value.quantize(CENT, ROUND_HALF_UP)


def is_half_step(value: Decimal) -> bool:
    return (value / STEP) == (value / STEP).to_integral_value()


def needs_comment(score: Decimal, max_score: Decimal) -> bool:
    """A3: a score below 60% of its indicator's maximum must be explained."""
    return score < max_score * COMMENT_THRESHOLD


def percent(total: Decimal, max_total: Decimal) -> Decimal:
    return q2(total * HUNDRED / max_total)


def mean(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return q2(sum(values, Decimal("0")) / len(values))


def spread(values: Iterable[Decimal]) -> Decimal | None:
    values = list(values)
    if not values:
        return None
    return q2(max(values) - min(values))


def spread_flagged(value: Decimal | None) -> bool:
    return value is not None and value > SPREAD_FLAG


def grade_for(score: Decimal) -> str:
    """A4: 优秀 ≥ 90, 良好 ≥ 80, 合格 ≥ 60, 不合格 < 60."""
    for floor, grade in GRADE_BANDS:
        if score >= floor:
            return grade
    return Grade.FAIL


def final_score(package_score: Decimal, two_way_score: Decimal | None, two_way_weight: Decimal) -> Decimal:
    """A4: the weighted combination of the third-party and the two-way scores."""
    if not two_way_weight:
        return q2(package_score)
    if two_way_score is None:
        raise ValueError("a two-way score is needed when its weight is not zero")
    third_party = package_score * (HUNDRED - two_way_weight) / HUNDRED
    return q2(third_party + two_way_score * two_way_weight / HUNDRED)


@dataclass(frozen=True)
class DimensionSpec:
    code: str
    weight: Decimal
    indicator_max: dict[int, Decimal]  # indicator id → maximum


@dataclass(frozen=True)
class DimensionResult:
    code: str
    weight: Decimal
    points: Decimal  # weighted points earned, out of `weight`


def rubric_total(
    dimensions: Iterable[DimensionSpec], scores: dict[int, Decimal]
) -> tuple[Decimal, list[DimensionResult]]:
    """A sheet's total out of 100 and its points per dimension (see the module docstring)."""
    results: list[DimensionResult] = []
    for d in dimensions:
        maximum = sum(d.indicator_max.values(), Decimal("0"))
        earned = sum((scores.get(i, Decimal("0")) for i in d.indicator_max), Decimal("0"))
        points = d.weight * earned / maximum if maximum else Decimal("0")
        results.append(DimensionResult(code=d.code, weight=d.weight, points=q2(points)))
    total = q2(sum((r.points for r in results), Decimal("0")))
    return total, results


def weights_problems(weights: Iterable[Decimal]) -> list[str]:
    """A3: the dimensions' weights must sum to 100 (returns the problem as text, empty when fine)."""
    from django.utils.translation import gettext as _

    weights = list(weights)
    if not weights:
        return [_("评估指标体系至少需要一个维度。")]
    total = sum(weights, Decimal("0"))
    if total != HUNDRED:
        return [_("各维度权重之和必须为 100，目前为 %(t)s。") % {"t": plain(total)}]
    return []


# --- half-year periods (A1) ----------------------------------------------------------------------


def period_of(day: datetime.date) -> str:
    return f"{day.year}H{1 if day.month <= 6 else 2}"


def period_bounds(period: str) -> tuple[datetime.date, datetime.date]:
    match = PERIOD_RE.match(period)
    if not match:
        raise ValueError(period)
    year, half = int(match.group(1)), int(match.group(2))
    if half == 1:
        return datetime.date(year, 1, 1), datetime.date(year, 6, 30)
    return datetime.date(year, 7, 1), datetime.date(year, 12, 31)


def add_months(day: datetime.date, months: int) -> datetime.date:
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for d in (day.day, 30, 29, 28):
        try:
            return datetime.date(year, month, d)
        except ValueError:
            continue
    raise ValueError(day)


# --- A2: when an evaluation falls due ---------------------------------------------------------------

MID_TERM_MONTH = 12  # A2: the mid-term evaluation falls due at month 12 of the package


def a2_due_on(stage: str, *, starts_on: datetime.date, ends_on: datetime.date) -> datetime.date:
    """A2: the mid-term evaluation is due at month 12 of the package (or its end if sooner), the closing one at
    its end. The bureau's assignment form proposes it; compliance K6 flags an evaluation not finalised by then."""
    if stage == "mid_term":
        return min(add_months(starts_on, MID_TERM_MONTH), ends_on)
    return ends_on

"""The tendering rules (T1, T2, T4, T5) as plain functions — the one implementation that services, selectors,
predicates, the admin, templates (through flags their views compute) and the compliance checks call. They read,
never write."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from directory.validators import plausible_date_problem

from .rules import Thresholds, qualification_check, staffing_check

# T1: 财政部令第102号《政府购买服务管理办法》第二十四条 — a purchase contract runs at most three years.
MAX_PERIOD_YEARS = 3
WEIGHT_FIELDS = ("weight_price", "weight_proposal", "weight_team", "weight_past")
SCORE_FIELDS = ("price_score", "proposal_score", "team_score", "past_score")
CRITERIA = ("price", "proposal", "team", "past")
CENT = Decimal("0.01")


# --- T1: the tender's terms ---------------------------------------------------------------------------


def t1_terms_problems(tender) -> dict[str, list[str]]:
    """T1's terms of a tender, by field: a period of 1–3 years, weights that are not negative and sum to 100
    (T4), a positive ceiling, plausible dates, and a service start after the bid deadline."""
    errors: dict[str, list[str]] = {}
    if tender.period_years is None or tender.period_years < 1:
        errors["period_years"] = [_("服务期至少1年。")]
    elif tender.period_years > MAX_PERIOD_YEARS:
        errors["period_years"] = [
            _("服务期最长3年：财政部令第102号《政府购买服务管理办法》规定，政府购买服务合同履行期限不超过3年。")
        ]
    weights = [getattr(tender, f) for f in WEIGHT_FIELDS]
    if any(w is None or w < 0 for w in weights):
        errors["__all__"] = [_("评分权重不能为负数。")]
    elif sum(weights) != 100:
        errors["__all__"] = [
            _("价格、服务方案、团队、既往绩效四项权重之和应为100，当前为 %(sum)d。") % {"sum": sum(weights)}
        ]
    if tender.annual_ceiling is not None and tender.annual_ceiling <= 0:
        errors["annual_ceiling"] = [_("年度最高限价必须大于0。")]
    for field in ("service_starts_on", "bid_deadline"):
        value = getattr(tender, field)
        problem = plausible_date_problem(value.date() if isinstance(value, datetime.datetime) else value)
        if problem:
            errors[field] = [problem]
    if tender.bid_deadline and tender.service_starts_on and not errors:
        if tender.service_starts_on <= timezone.localdate(tender.bid_deadline):
            errors["service_starts_on"] = [_("服务开始日期应晚于投标截止日期。")]
    return errors


# --- T2: bidding window and sealing -------------------------------------------------------------------


def deadline_passed(tender, now: datetime.datetime | None = None) -> bool:
    """Bidding has ended: the deadline is now or earlier."""
    return (now or timezone.now()) >= tender.bid_deadline


def accepts_bids(tender, now: datetime.datetime | None = None) -> bool:
    """T2: bids are taken (and changed) only while the tender is published and before its deadline."""
    return tender.status == "published" and not deadline_passed(tender, now)


def sealed_q(now: datetime.datetime | None = None, tender_path: str = "tender") -> Q:
    """T2 sealing as a filter: rows (bids, or scores through `tender_path="bid__tender"`) whose tender's
    deadline has not passed — nobody but the bidder may read them. `~sealed_q(now)` is what may be opened."""
    return Q(**{f"{tender_path}__bid_deadline__gt": now or timezone.now()})


def is_sealed(tender, now: datetime.datetime | None = None) -> bool:
    """T2: a tender's bids are sealed until its deadline (the same condition as `sealed_q`)."""
    return not deadline_passed(tender, now)


# --- T4: weighted scores and ranking ------------------------------------------------------------------


def t4_weighted_total(scores: dict[str, Decimal], weights: dict[str, int]) -> Decimal:
    """One expert's weighted total of one bid: Σ score × weight / 100 (weights sum to 100), to the cent.
    `scores` is keyed by criterion (price, proposal, team, past) or by score field (price_score, …)."""
    total = sum(
        (Decimal(scores.get(c, scores.get(f"{c}_score"))) * weights[c] for c in CRITERIA),
        Decimal("0"),
    )
    return (total / Decimal("100")).quantize(CENT, ROUND_HALF_UP)


def t4_mean(values: Iterable[Decimal]) -> Decimal | None:
    """A bid's score is the mean of its experts' totals (and its team score the mean of theirs), to the cent."""
    values = list(values)
    if not values:
        return None
    return (sum(values, Decimal("0")) / len(values)).quantize(CENT, ROUND_HALF_UP)


def t4_rank_key(score: Decimal | None, team_score: Decimal | None, submitted_at, pk: int) -> tuple:
    """Sort key of a valid bid: higher mean score first; ties broken by higher mean team score, then by earlier
    submission (then by id, so the order is total). Bids without scores go last."""
    return (score is None, -(score or 0), -(team_score or 0), submitted_at, pk)


# --- T5: disqualification -----------------------------------------------------------------------------


def t5_price_problem(price: Decimal, ceiling: Decimal) -> str | None:
    """T5: a price above the tender's annual ceiling disqualifies (equal to the ceiling is within it)."""
    if price > ceiling:
        return _("年度报价 %(price)s 元超过最高限价 %(ceiling)s 元。") % {"price": price, "ceiling": ceiling}
    return None


def t5_disqualification_reasons(bid) -> list[str]:
    """T5: why a bid is invalid — the agency fails Q1 on the deadline date, its team fails Q2–Q4 on the
    service start date, or the price exceeds the ceiling. Empty when the bid is valid. Reads
    `bid.team.all()`, so prefetch the team with its certificates for lists."""
    tender = bid.tender
    reasons: list[str] = []
    qualification = qualification_check(bid.agency, on=timezone.localdate(tender.bid_deadline))
    reasons += [_("机构资格：%(p)s") % {"p": p} for p in qualification.problems]
    staffing = staffing_check(list(bid.team.all()), on=tender.service_starts_on, thresholds=Thresholds.of(tender))
    reasons += [_("拟派团队：%(p)s") % {"p": p} for p in staffing.problems]
    price = t5_price_problem(bid.price, tender.annual_ceiling)
    if price:
        reasons.append(price)
    return reasons


def t2_bids_opened(tender, now: datetime.datetime | None = None) -> bool:
    """T2: the bids have been opened — the deadline has passed and the tender was neither a draft nor cancelled
    (a cancelled tender's bids may never have been opened). Only then is even the number of bids public."""
    return deadline_passed(tender, now) and tender.status not in ("draft", "cancelled")

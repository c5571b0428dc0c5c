"""The money rules F1–F5 as pure functions: pages, API, admin, services and the compliance check (K7) call
these unchanged. Nothing here touches the database; callers pass in the rows and sums they have read."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_DOWN, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from core.money import CENT, cents

ZERO = Decimal("0.00")
HUNDRED = Decimal("100")
# The largest amount a MONEY field holds (14 digits, 2 places).
MAX_MONEY = Decimal("999999999999.99")
DEFAULT_PERCENTS = {"start": Decimal("40"), "mid_term": Decimal("30"), "closing": Decimal("30")}
MILESTONE_ORDER = ("start", "mid_term", "closing")
PASSING_GRADES = frozenset({"excellent", "good", "pass"})


# --- F5: money is Decimal CNY with 2 places ---------------------------------------------------------


def f5_money_problem(value, *, allow_zero: bool = False) -> str | None:
    """Why a value is not an acceptable amount of money (None if it is): not a number, more than 2 decimal
    places, negative (or zero unless allowed), or beyond what the ledger stores. Floats are refused."""
    if isinstance(value, float) or isinstance(value, bool):
        return _("金额必须以元为单位、最多两位小数的数字输入。")
    try:
        amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        return _("金额不是有效的数字。")
    if not amount.is_finite():
        return _("金额不是有效的数字。")
    if amount < 0:
        return _("金额不能为负数。")
    if amount > MAX_MONEY:
        return _("金额超出允许范围。")
    if amount != amount.quantize(CENT, rounding=ROUND_DOWN):
        return _("金额最多保留两位小数（精确到分）。")
    if amount == 0 and not allow_zero:
        return _("金额必须大于零。")
    return None


def f5_money(value, *, allow_zero: bool = False) -> Decimal:
    """The value as a 2-place Decimal; raises ValueError with the F5 problem."""
    problem = f5_money_problem(value, allow_zero=allow_zero)
    if problem:
        raise ValueError(problem)
    amount = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    return amount.quantize(CENT)


def money_sum(values: Iterable[Decimal]) -> Decimal:
    """Exact sum of 2-place amounts (Decimal arithmetic: no float drift however many small amounts)."""
    return sum((Decimal(v) for v in values), ZERO).quantize(CENT)


# --- F1/F2: budgets and splits ------------------------------------------------------------------------


def plan_year_bounds(
    starts_on: datetime.date, ends_on: datetime.date, plan_year: int
) -> tuple[datetime.date, datetime.date]:
    """A package's plan year N runs from the anniversary of its start to the day before the next one (or the
    package's end)."""
    first = _add_years(starts_on, plan_year - 1)
    last = _add_years(starts_on, plan_year) - datetime.timedelta(days=1)
    return first, min(last, ends_on)


def plan_year_count(starts_on: datetime.date, ends_on: datetime.date) -> int:
    n = 1
    while _add_years(starts_on, n) <= ends_on:
        n += 1
    return n


def budget_year_of(starts_on: datetime.date, plan_year: int) -> int:
    """The budget (calendar) year a package's plan year is charged to: the year it starts in."""
    return _add_years(starts_on, plan_year - 1).year


def _add_years(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def f2_split_problem(year_amount: Decimal, parts: Iterable[Decimal]) -> str | None:
    """F2: the splits of a package year sum exactly to the year's amount."""
    total = money_sum(parts)
    if total != cents(year_amount):
        return _("各资金来源合计 %(t)s 元，与该服务年度金额 %(a)s 元不一致（相差 %(d)s 元）。") % {
            "t": f"{total:,.2f}",
            "a": f"{cents(year_amount):,.2f}",
            "d": f"{cents(year_amount) - total:,.2f}",
        }
    return None


def f2_available(budget: Decimal, committed: Decimal) -> Decimal:
    """F2: what a source's yearly budget still has to commit."""
    return cents(budget - committed)


def f2_over_commitment_problem(
    *, source_name: str, year: int, budget: Decimal, committed_elsewhere: Decimal, amount: Decimal
) -> str | None:
    """F2: a split that would take a source's yearly commitments beyond its budget is refused, saying how
    much is still available. `committed_elsewhere` excludes the split being replaced."""
    available = f2_available(budget, committed_elsewhere)
    if amount > available:
        return _("%(s)s %(y)d 年度预算不足：本次分配 %(a)s 元，可用余额仅 %(v)s 元。") % {
            "s": source_name,
            "y": year,
            "a": f"{amount:,.2f}",
            "v": f"{max(available, ZERO):,.2f}",
        }
    return None


# --- F3: schedules and instalments ----------------------------------------------------------------------


def f3_template_problem(percents: Mapping[str, Decimal]) -> str | None:
    if money_sum(percents.values()) != HUNDRED:
        return _("各拨付节点比例之和必须为 100%。")
    return None


def f3_instalment_amounts(year_amount: Decimal, percents: Mapping[str, Decimal]) -> dict[str, Decimal]:
    """F3: a year's amount split by the template's percentages; the last milestone takes the rounding
    remainder so the instalments sum exactly to the year's amount."""
    amounts: dict[str, Decimal] = {}
    remaining = cents(year_amount)
    milestones = [m for m in MILESTONE_ORDER if m in percents]
    for i, milestone in enumerate(milestones):
        if i == len(milestones) - 1:
            amounts[milestone] = remaining
        else:
            amounts[milestone] = cents(year_amount * percents[milestone] / HUNDRED)
            remaining -= amounts[milestone]
    return amounts


def f3_planned_on(
    milestone: str,
    *,
    plan_year: int,
    year_starts_on: datetime.date,
    year_ends_on: datetime.date,
    package_starts_on: datetime.date,
    signed_on: datetime.date | None,
) -> datetime.date:
    """F3: when an instalment is expected: at signature (year one) or the year's start; the mid-term
    evaluation at month 12 (A2); the closing or annual evaluation at the end of the year."""
    if milestone == "start":
        return signed_on if plan_year == 1 and signed_on else year_starts_on
    if milestone == "mid_term":
        return max(_add_years(package_starts_on, 1) - datetime.timedelta(days=1), year_starts_on)
    return year_ends_on


def f3_evaluation_stage(milestone: str, *, plan_year: int, last_plan_year: int) -> str | None:
    """F3: which evaluation releases an instalment: none at the start; the mid-term evaluation for the
    mid-term milestone; for the year-end milestone the closing evaluation in the last year, and the annual
    evaluation before it — on this platform the mid-term evaluation (month 12, A2) is year one's annual one."""
    if milestone == "start":
        return None
    if milestone == "mid_term":
        return "mid_term"
    return "closing" if plan_year >= last_plan_year else "mid_term"


@dataclass(frozen=True)
class EvaluationResult:
    stage: str
    finalised: bool
    grade: str = ""
    grade_label: str = ""
    final_score: Decimal | None = None


def f3_milestone_met(
    stage: str | None,
    evaluation: EvaluationResult | None,
    *,
    planned_on: datetime.date | None = None,
    today: datetime.date | None = None,
) -> bool:
    """F3: the start milestone is met on its date (signature, or the year's start); the others once their
    evaluation is finalised with 合格 or better."""
    if stage is None:
        return planned_on is None or today is None or planned_on <= today
    return bool(evaluation and evaluation.finalised and evaluation.grade in PASSING_GRADES)


@dataclass(frozen=True)
class InstalmentState:
    code: str  # due, paid, held, not_yet_due
    label: str
    reason: str = ""  # why held / what it waits for
    release: str = ""  # what would release a held instalment


STAGE_LABELS = {"mid_term": "中期评估", "closing": "结项评估"}


def f3_instalment_state(
    *,
    amount: Decimal,
    paid: Decimal,
    planned_on: datetime.date,
    stage: str | None,
    evaluation: EvaluationResult | None,
    today: datetime.date,
) -> InstalmentState:
    """F3: an instalment is paid (its amount paid in full), held (its evaluation failed, or it is past its date
    and its evaluation is not finalised: the reason and what releases it are given), due (milestone met, money
    still to pay) or not yet due."""
    if amount > 0 and paid >= amount:
        return InstalmentState("paid", _("已拨付"))
    stage_label = _(STAGE_LABELS.get(stage or "", ""))
    if stage is not None and evaluation and evaluation.finalised and evaluation.grade not in PASSING_GRADES:
        return InstalmentState(
            "held",
            _("暂缓拨付"),
            reason=_("%(s)s结果为%(g)s（%(f)s 分），未达到合格。")
            % {"s": stage_label, "g": evaluation.grade_label, "f": evaluation.final_score},
            release=_("机构整改后经民政局组织复评达到合格及以上，方可拨付。"),
        )
    if stage is None and today < planned_on:
        return InstalmentState("not_yet_due", _("未到期"), reason=_("计划于 %(d)s 拨付。") % {"d": planned_on})
    if f3_milestone_met(stage, evaluation):
        return InstalmentState("due", _("应拨付"), reason=_("节点已达成，可以拨付。"))
    if today >= planned_on:
        waiting = _("尚未派出") if evaluation is None else _("尚未定稿")
        return InstalmentState(
            "held",
            _("暂缓拨付"),
            reason=_("已到计划日期 %(d)s，但%(s)s%(w)s。") % {"d": planned_on, "s": stage_label, "w": waiting},
            release=_("%(s)s定稿且等级为合格及以上后即可拨付。") % {"s": stage_label},
        )
    return InstalmentState(
        "not_yet_due",
        _("未到期"),
        reason=_("待%(s)s定稿且合格（计划 %(d)s）。") % {"s": stage_label, "d": planned_on},
    )


def f3_payment_problem(
    *,
    milestone_met: bool,
    amount: Decimal,
    instalment_amount: Decimal,
    instalment_paid: Decimal,
    package_paid: Decimal,
    contract_value: Decimal,
    stage_label: str = "",
) -> str | None:
    """F3: no payment before its milestone; an instalment is not paid beyond its amount; the total paid never
    exceeds the contract value."""
    if not milestone_met:
        if not stage_label:
            return _("该节点尚未达成（未到签约/年初拨付日期），不能拨付。")
        return _("该节点尚未达成（%(s)s未定稿或未达到合格），不能拨付。") % {"s": stage_label}
    if instalment_paid + amount > instalment_amount:
        return _("本节点应拨 %(a)s 元，已拨 %(p)s 元，本次最多可拨 %(r)s 元。") % {
            "a": f"{instalment_amount:,.2f}",
            "p": f"{instalment_paid:,.2f}",
            "r": f"{max(instalment_amount - instalment_paid, ZERO):,.2f}",
        }
    if package_paid + amount > contract_value:
        return _("累计拨付将超过合同金额 %(v)s 元（已拨 %(p)s 元）。") % {
            "v": f"{contract_value:,.2f}",
            "p": f"{package_paid:,.2f}",
        }
    return None


# --- F4: community funds ---------------------------------------------------------------------------------


def f4_balances(entries: Iterable[tuple[str, Decimal]]) -> dict[str, Decimal]:
    """F4: balance per purpose ("" = unrestricted) from (restricted_to, amount) ledger rows."""
    pools: dict[str, Decimal] = {}
    for purpose, amount in entries:
        pools[purpose or ""] = pools.get(purpose or "", ZERO) + amount
    return {k: cents(v) for k, v in pools.items()}


def f4_available_for(pools: Mapping[str, Decimal], purpose: str) -> Decimal:
    """F4: what a grant for `purpose` may draw on: unrestricted money plus money restricted to that purpose
    (money restricted to another purpose is never spent on it)."""
    available = pools.get("", ZERO)
    if purpose:
        available += pools.get(purpose, ZERO)
    return cents(available)


def f4_draw(pools: Mapping[str, Decimal], purpose: str, amount: Decimal) -> list[tuple[str, Decimal]]:
    """F4: how a grant is charged: first to money restricted to its purpose, then to unrestricted money.
    Returns (purpose, amount) parts; raises ValueError when the available balance is short."""
    available = f4_available_for(pools, purpose)
    if amount > available:
        raise ValueError(
            _("可用余额不足：本次拨付 %(a)s 元，可用余额 %(v)s 元（非定向%(p)s）。")
            % {
                "a": f"{amount:,.2f}",
                "v": f"{max(available, ZERO):,.2f}",
                "p": (_("及定向“%(p)s”") % {"p": purpose}) if purpose else "",
            }
        )
    parts: list[tuple[str, Decimal]] = []
    remaining = amount
    if purpose:
        restricted = max(pools.get(purpose, ZERO), ZERO)
        take = min(restricted, remaining)
        if take > 0:
            parts.append((purpose, take))
            remaining -= take
    if remaining > 0:
        parts.append(("", remaining))
    return parts


def f4_approved(approvals: int, committee_size: int, share: Decimal = Decimal("50")) -> bool:
    """F4: a grant is approved when approvals are more than `share` % of the committee (default: more than
    half)."""
    return committee_size > 0 and Decimal(approvals) * HUNDRED > share * committee_size


def f4_rejected(rejections: int, committee_size: int, share: Decimal = Decimal("50")) -> bool:
    """F4: a grant is rejected once the remaining members could no longer approve it."""
    return committee_size > 0 and not f4_approved(committee_size - rejections, committee_size, share)

"""The pure rule functions F2–F5 (funds/rules.py), free of the database."""

import datetime
from decimal import Decimal

import pytest

from funds import rules

D = Decimal


@pytest.mark.parametrize(
    "value",
    ["-1", "-0.01", "abc", "", "1.005", "0.001", "NaN", "Infinity", "1e20", 1.5, "12,3"],
)
def test_f5_bad_amounts_refused(value):
    assert rules.f5_money_problem(value) is not None


@pytest.mark.parametrize("value", ["0.01", "1", "1.5", "1.50", "999999999999.99", D("980000.00"), 7])
def test_f5_good_amounts_accepted(value):
    assert rules.f5_money_problem(value) is None
    assert rules.f5_money(value).as_tuple().exponent == -2


def test_f5_zero_only_where_allowed():
    assert rules.f5_money_problem("0") is not None
    assert rules.f5_money_problem("0", allow_zero=True) is None


def test_f5_sum_of_many_small_amounts_is_exact():
    # 100,000 × 0.01 and 10,000 × 0.10 — float would drift; Decimal does not.
    assert rules.money_sum([D("0.01")] * 100_000) == D("1000.00")
    assert rules.money_sum([D("0.10")] * 10_000) == D("1000.00")
    assert sum([0.1] * 10_000) != 1000.0  # what float would have done


def test_f2_split_must_sum_exactly():
    assert rules.f2_split_problem(D("980000.00"), [D("490000.00"), D("490000.00")]) is None
    problem = rules.f2_split_problem(D("980000.00"), [D("490000.00"), D("489999.99")])
    assert "0.01" in problem


def test_f2_over_commitment_names_the_available_amount():
    problem = rules.f2_over_commitment_problem(
        source_name="市级福彩公益金",
        year=2026,
        budget=D("1000000.00"),
        committed_elsewhere=D("600000.00"),
        amount=D("400000.01"),
    )
    assert "400,000.00" in problem
    assert (
        rules.f2_over_commitment_problem(
            source_name="x",
            year=2026,
            budget=D("1000000.00"),
            committed_elsewhere=D("600000.00"),
            amount=D("400000.00"),
        )
        is None
    )


def test_f3_instalments_sum_exactly_to_the_year():
    amounts = rules.f3_instalment_amounts(D("333333.33"), rules.DEFAULT_PERCENTS)
    assert amounts == {"start": D("133333.33"), "mid_term": D("100000.00"), "closing": D("100000.00")}
    assert sum(amounts.values()) == D("333333.33")
    odd = rules.f3_instalment_amounts(D("0.05"), rules.DEFAULT_PERCENTS)
    assert sum(odd.values()) == D("0.05")


def test_f3_template_must_total_100():
    assert rules.f3_template_problem({"start": D("40"), "mid_term": D("30"), "closing": D("30")}) is None
    assert rules.f3_template_problem({"start": D("50"), "mid_term": D("30"), "closing": D("30")}) is not None


def test_f3_milestone_met_only_by_finalised_passing_evaluation():
    ok = rules.EvaluationResult(stage="mid_term", finalised=True, grade="pass")
    failed = rules.EvaluationResult(stage="mid_term", finalised=True, grade="fail")
    draft = rules.EvaluationResult(stage="mid_term", finalised=False)
    assert rules.f3_milestone_met(None, None)
    assert rules.f3_milestone_met("mid_term", ok)
    assert not rules.f3_milestone_met("mid_term", failed)
    assert not rules.f3_milestone_met("mid_term", draft)
    assert not rules.f3_milestone_met("mid_term", None)


def test_f3_instalment_states():
    today = datetime.date(2026, 6, 1)
    past, future = datetime.date(2026, 1, 1), datetime.date(2026, 12, 31)
    failed = rules.EvaluationResult(
        stage="mid_term", finalised=True, grade="fail", grade_label="不合格", final_score=D("55")
    )
    state = lambda **kw: rules.f3_instalment_state(amount=D("100.00"), today=today, **kw)  # noqa: E731
    assert state(paid=D("100.00"), planned_on=past, stage=None, evaluation=None).code == "paid"
    assert state(paid=D("0"), planned_on=past, stage=None, evaluation=None).code == "due"
    assert state(paid=D("0"), planned_on=future, stage=None, evaluation=None).code == "not_yet_due"
    assert state(paid=D("0"), planned_on=future, stage="mid_term", evaluation=None).code == "not_yet_due"
    held = state(paid=D("0"), planned_on=future, stage="mid_term", evaluation=failed)
    assert held.code == "held" and "不合格" in held.reason and "复评" in held.release
    late = state(paid=D("0"), planned_on=past, stage="closing", evaluation=None)
    assert late.code == "held" and "结项评估" in late.release


def test_f3_year_end_milestone_is_closing_only_in_last_year():
    assert rules.f3_evaluation_stage("closing", plan_year=2, last_plan_year=2) == "closing"
    assert rules.f3_evaluation_stage("closing", plan_year=1, last_plan_year=2) == "mid_term"
    assert rules.f3_evaluation_stage("start", plan_year=1, last_plan_year=2) is None


def test_f3_payment_problems():
    base = dict(instalment_amount=D("100.00"), instalment_paid=D("0"), package_paid=D("0"), contract_value=D("1000"))
    assert rules.f3_payment_problem(milestone_met=False, amount=D("1"), **base)
    assert rules.f3_payment_problem(milestone_met=True, amount=D("100.01"), **base)
    assert rules.f3_payment_problem(milestone_met=True, amount=D("100.00"), **base) is None
    assert rules.f3_payment_problem(
        milestone_met=True,
        amount=D("50"),
        instalment_amount=D("100"),
        instalment_paid=D("0"),
        package_paid=D("960"),
        contract_value=D("1000"),
    )


def test_f4_available_counts_unrestricted_and_own_purpose_only():
    pools = rules.f4_balances([("", D("100.00")), ("助老", D("50.00")), ("助学", D("70.00")), ("", D("-20.00"))])
    assert pools == {"": D("80.00"), "助老": D("50.00"), "助学": D("70.00")}
    assert rules.f4_available_for(pools, "") == D("80.00")
    assert rules.f4_available_for(pools, "助老") == D("130.00")
    assert rules.f4_draw(pools, "助老", D("60.00")) == [("助老", D("50.00")), ("", D("10.00"))]
    with pytest.raises(ValueError):
        rules.f4_draw(pools, "", D("80.01"))
    with pytest.raises(ValueError):
        rules.f4_draw(pools, "助老", D("130.01"))


@pytest.mark.parametrize(
    ("yes", "size", "share", "approved"),
    [
        (2, 3, D("50"), True),
        (1, 3, D("50"), False),
        (2, 4, D("50"), False),
        (3, 4, D("50"), True),
        (3, 4, D("75"), False),
    ],
)
def test_f4_approval_threshold_more_than_half(yes, size, share, approved):
    assert rules.f4_approved(yes, size, share) is approved


def test_f4_rejected_when_approval_is_out_of_reach():
    assert rules.f4_rejected(2, 3)
    assert not rules.f4_rejected(1, 3)
    assert rules.f4_rejected(2, 4)

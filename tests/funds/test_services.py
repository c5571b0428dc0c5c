"""Services F1–F5: who may write, what is refused, and the append-only money."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from directory.models import Role
from evaluation.models import Evaluation, Grade
from funds import rules, services
from funds.models import FundingSource, Instalment, LedgerEntry, MicroGrant, PackageYearSplit, Payment, SourceBudget

from .conftest import finalised_evaluation, split_evenly

D = Decimal
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


# --- F1 ------------------------------------------------------------------------------------------


def test_f1_three_kinds_of_source_with_yearly_budgets(bureau, sources):
    assert {s.kind for s in sources.values()} == set(FundingSource.Kind.values)
    budget = services.budget_set(actor=bureau, source=sources["lottery"], year=2026, amount="5000000.00")
    assert budget.amount == D("5000000.00")
    again = services.budget_set(actor=bureau, source=sources["lottery"], year=2026, amount="6000000")
    assert again.pk == budget.pk and SourceBudget.objects.count() == 1


def test_f1_district_budget_set_by_its_district_officer_only(personas, outsiders, sources):
    officer = personas[Role.DISTRICT_OFFICER]
    services.budget_set(actor=officer, source=sources["district"], year=2026, amount="100.00")
    with pytest.raises(PermissionDenied):
        services.budget_set(actor=outsiders[Role.DISTRICT_OFFICER], source=sources["district"], year=2026, amount="1")
    with pytest.raises(PermissionDenied):
        services.budget_set(actor=officer, source=sources["city"], year=2026, amount="1")
    for role in (Role.AUDITOR, Role.TOWN_OFFICER, Role.AGENCY_MANAGER):
        with pytest.raises(PermissionDenied):
            services.budget_set(actor=personas[role], source=sources["lottery"], year=2026, amount="1")


@pytest.mark.parametrize("amount", ["-1", "abc", "1.005", "", None, 1.5])
def test_f5_budget_refuses_bad_amounts(bureau, sources, amount):
    with pytest.raises(ValidationError) as exc:
        services.budget_set(actor=bureau, source=sources["city"], year=2026, amount=amount)
    assert "amount" in exc.value.message_dict


# --- F2 ------------------------------------------------------------------------------------------


def test_f2_split_sums_exactly_and_generates_the_schedule(bureau, package, budgets):
    splits = split_evenly(bureau, package, budgets, 1)
    assert sum(s.amount for s in splits) == package.annual_amount
    assert package.instalments.count() == 6  # two years × 40/30/30
    year1 = package.instalments.filter(plan_year=1)
    assert sum(i.amount for i in year1) == package.annual_amount
    assert [i.percent for i in year1.order_by("planned_on")] == [D("40"), D("30"), D("30")]


def test_f2_split_not_summing_to_the_amount_is_refused(bureau, package, budgets):
    with pytest.raises(ValidationError, match="不一致"):
        services.package_year_split_set(
            actor=bureau,
            package=package,
            plan_year=1,
            parts={budgets["lottery"]: D("490000.00"), budgets["city"]: D("489999.99")},
        )
    assert not PackageYearSplit.objects.exists()


def test_f2_over_commitment_refused_with_the_amount_available(bureau, package, other_package, sources):
    year = package.starts_on.year
    services.budget_set(actor=bureau, source=sources["lottery"], year=year, amount="1000000.00")
    services.budget_set(actor=bureau, source=sources["city"], year=year, amount="5000000.00")
    services.package_year_split_set(
        actor=bureau,
        package=package,
        plan_year=1,
        parts={sources["lottery"]: D("700000.00"), sources["city"]: D("280000.00")},
    )
    # another package starting the same year asks the lottery fund for more than the 300,000.00 left
    other_package.starts_on = package.starts_on
    other_package.save()
    with pytest.raises(ValidationError, match=r"300,000\.00"):
        services.package_year_split_set(
            actor=bureau,
            package=other_package,
            plan_year=1,
            parts={sources["lottery"]: D("300000.01"), sources["city"]: D("679999.99")},
        )
    # replacing a package's own split does not count its old split against it
    services.package_year_split_set(
        actor=bureau, package=package, plan_year=1, parts={sources["lottery"]: D("980000.00")}
    )
    # the budget cannot be lowered below what is committed
    with pytest.raises(ValidationError, match="不能低于"):
        services.budget_set(actor=bureau, source=sources["lottery"], year=year, amount="979999.99")


def test_f2_split_needs_a_budget_and_the_bureau(bureau, personas, package, sources):
    with pytest.raises(ValidationError, match="尚未录入"):
        services.package_year_split_set(
            actor=bureau, package=package, plan_year=1, parts={sources["city"]: package.annual_amount}
        )
    with pytest.raises(PermissionDenied):
        services.package_year_split_set(
            actor=personas[Role.DISTRICT_OFFICER],
            package=package,
            plan_year=1,
            parts={sources["city"]: package.annual_amount},
        )
    with pytest.raises(ValidationError):
        services.package_year_split_set(
            actor=bureau, package=package, plan_year=9, parts={sources["city"]: package.annual_amount}
        )


@pytest.mark.parametrize("amount", ["-490000.00", "abc", "490000.001"])
def test_f5_split_refuses_bad_amounts(bureau, package, budgets, amount):
    with pytest.raises(ValidationError):
        services.package_year_split_set(
            actor=bureau, package=package, plan_year=1, parts={budgets["lottery"]: amount, budgets["city"]: "490000.00"}
        )


# --- F3 ------------------------------------------------------------------------------------------


@pytest.fixture
def scheduled(bureau, package, budgets):
    split_evenly(bureau, package, budgets, 1)
    split_evenly(bureau, package, budgets, 2)
    return {(i.plan_year, i.milestone): i for i in package.instalments.all()}


def _pay(bureau, instalment, amount=None, **kw):
    return services.payment_record(
        actor=bureau,
        instalment=instalment,
        amount=instalment.amount if amount is None else amount,
        paid_on=kw.pop("paid_on", timezone.localdate()),
        voucher_number=kw.pop("voucher_number", "PZ-001"),
        **kw,
    )


def test_f3_start_instalment_paid_at_signature(bureau, scheduled):
    payment = _pay(bureau, scheduled[(1, "start")])
    assert payment.amount == D("392000.00") and payment.recorded_by == bureau


def test_f3_no_payment_before_its_milestone(bureau, scheduled, package):
    with pytest.raises(ValidationError, match="尚未达成"):
        _pay(bureau, scheduled[(1, "mid_term")])
    Evaluation.objects.all().delete()
    finalised_evaluation(package, Evaluation.Stage.MID_TERM, grade=Grade.FAIL, score="55.00")
    with pytest.raises(ValidationError, match="尚未达成"):
        _pay(bureau, scheduled[(1, "mid_term")])
    assert not Payment.objects.exists()


def test_f3_payment_after_passing_mid_term(bureau, scheduled, package):
    finalised_evaluation(package, Evaluation.Stage.MID_TERM, grade=Grade.PASS, score="60.00")
    _pay(bureau, scheduled[(1, "mid_term")])
    _pay(bureau, scheduled[(1, "closing")])  # year one's annual evaluation is the mid-term one
    with pytest.raises(ValidationError, match="尚未达成"):
        _pay(bureau, scheduled[(2, "closing")])  # the last year waits for the closing evaluation
    finalised_evaluation(package, Evaluation.Stage.CLOSING)
    _pay(bureau, scheduled[(2, "closing")])


def test_f3_instalment_and_contract_value_never_exceeded(bureau, scheduled, package, monkeypatch):
    start = scheduled[(1, "start")]
    _pay(bureau, start, amount=D("392000.00") - D("0.01"))
    with pytest.raises(ValidationError, match=r"最多可拨 0\.01"):
        _pay(bureau, start, amount=D("0.02"))
    _pay(bureau, start, amount=D("0.01"))
    assert services.contract_value(package) == D("1960000.00")
    # a contract worth less than the schedule caps what is paid in all
    monkeypatch.setattr(services, "contract_value", lambda p: D("400000.00"))
    with pytest.raises(ValidationError, match="超过合同金额"):
        _pay(bureau, scheduled[(2, "start")])
    _pay(bureau, scheduled[(2, "start")], amount=D("8000.00"))


def test_f3_start_of_a_later_year_not_paid_before_it_begins(bureau, package, budgets):
    split_evenly(bureau, package, budgets, 1)
    later = Instalment.objects.get(package=package, plan_year=2, milestone="start")
    later.planned_on = timezone.localdate() + datetime.timedelta(days=10)
    later.save()
    with pytest.raises(ValidationError, match="未到签约"):
        _pay(bureau, later)


def test_f3_only_the_bureau_records_payments(personas, scheduled):
    for role in (Role.AUDITOR, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.AGENCY_MANAGER):
        with pytest.raises(PermissionDenied):
            _pay(personas[role], scheduled[(1, "start")])


@pytest.mark.parametrize("amount", ["-1.00", "abc", "1.001", "0"])
def test_f5_payment_refuses_bad_amounts(bureau, scheduled, amount):
    with pytest.raises(ValidationError):
        _pay(bureau, scheduled[(1, "start")], amount=amount)


def test_f3_payment_dates_and_voucher_checked(bureau, scheduled):
    with pytest.raises(ValidationError):
        _pay(bureau, scheduled[(1, "start")], paid_on=timezone.localdate() + datetime.timedelta(days=1))
    with pytest.raises(ValidationError):
        _pay(bureau, scheduled[(1, "start")], voucher_number="  ")


def test_f3_correction_is_a_reversing_entry(bureau, scheduled):
    payment = _pay(bureau, scheduled[(1, "start")])
    reversal = services.payment_reverse(actor=bureau, payment=payment, reason="金额录错")
    assert reversal.amount == -payment.amount and reversal.reverses == payment
    assert Payment.objects.count() == 2
    assert sum(p.amount for p in Payment.objects.all()) == D("0.00")
    with pytest.raises(ValidationError):
        services.payment_reverse(actor=bureau, payment=payment, reason="再次")
    with pytest.raises(ValidationError):
        services.payment_reverse(actor=bureau, payment=reversal, reason="再次")
    _pay(bureau, scheduled[(1, "start")])  # paid again correctly


def test_f3_schedule_generation_is_idempotent_and_follows_the_round_template(bureau, package):
    services.payment_template_set(actor=bureau, round_=package.round, start="50", mid_term="25", closing="25")
    services.schedule_generate(package=package)
    services.schedule_generate(package=package)
    assert Instalment.objects.filter(package=package).count() == 6
    first = Instalment.objects.get(package=package, plan_year=1, milestone="start")
    assert first.amount == D("490000.00")
    with pytest.raises(ValidationError):
        services.payment_template_set(actor=bureau, round_=package.round, start="50", mid_term="30", closing="30")


# --- F4 ------------------------------------------------------------------------------------------


def _donate(actor, fund, amount="1000.00", **kw):
    return services.donation_record(
        actor=actor,
        fund=fund,
        amount=amount,
        occurred_on=kw.pop("occurred_on", timezone.localdate()),
        donor_name=kw.pop("donor_name", "苏州某公司"),
        **kw,
    )


def _apply(actor, fund, world, amount="300.00", restricted_to=""):
    return services.grant_apply(
        actor=actor,
        fund=fund,
        kind=MicroGrant.Kind.MICRO_VENTURE,
        title="楼道微更新",
        applicant_kind="resident_group",
        applicant_name="十全街居民小组",
        community=world.communities_a1[0],
        purpose="楼道扶手与照明",
        budget_lines=[{"item": "扶手", "amount": amount}],
        restricted_to=restricted_to,
    )


def test_f4_donations_by_the_manager_only(fund, fund_manager, committee, personas):
    entry = _donate(fund_manager, fund, is_anonymous=True, donor_name="")
    assert entry.kind == LedgerEntry.Kind.DONATION and entry.public_donor == "匿名"
    for user in (committee[0], personas[Role.TOWN_OFFICER], personas[Role.AGENCY_MANAGER]):
        with pytest.raises(PermissionDenied):
            _donate(user, fund)
    with pytest.raises(ValidationError):
        _donate(fund_manager, fund, donor_name="")  # neither a donor nor anonymous


@pytest.mark.parametrize("amount", ["-5", "abc", "0.005", "0"])
def test_f5_donation_refuses_bad_amounts(fund, fund_manager, amount):
    with pytest.raises(ValidationError):
        _donate(fund_manager, fund, amount=amount)


def test_f4_grant_approved_by_more_than_half_and_disbursed(fund, fund_manager, committee, world):
    _donate(fund_manager, fund, amount="1000.00")
    grant = _apply(fund_manager, fund, world)
    grant = services.grant_vote(actor=committee[0], grant=grant, approve=True)
    assert grant.status == MicroGrant.Status.SUBMITTED  # 1 of 3 is not more than half
    grant = services.grant_vote(actor=committee[1], grant=grant, approve=True)
    assert grant.status == MicroGrant.Status.APPROVED
    assert services.fund_pools(fund) == {"": D("700.00")}
    assert LedgerEntry.objects.get(grant=grant).amount == D("-300.00")
    with pytest.raises(ValidationError):
        services.grant_vote(actor=committee[2], grant=grant, approve=True)  # voting is over


def test_f4_grant_rejected_when_approval_out_of_reach(fund, fund_manager, committee, world):
    grant = _apply(fund_manager, fund, world)
    services.grant_vote(actor=committee[0], grant=grant, approve=False)
    grant = services.grant_vote(actor=committee[1], grant=grant, approve=False)
    assert grant.status == MicroGrant.Status.REJECTED and not LedgerEntry.objects.exists()


def test_f4_approval_threshold_is_configurable(fund, fund_manager, committee, world):
    fund.approval_share = D("66.67")
    fund.save()
    _donate(fund_manager, fund)
    grant = _apply(fund_manager, fund, world)
    services.grant_vote(actor=committee[0], grant=grant, approve=True)
    grant = services.grant_vote(actor=committee[1], grant=grant, approve=True)
    assert grant.status == MicroGrant.Status.SUBMITTED
    grant = services.grant_vote(actor=committee[2], grant=grant, approve=True)
    assert grant.status == MicroGrant.Status.APPROVED


def test_f4_non_member_cannot_vote_and_members_vote_once(fund, fund_manager, committee, world, personas):
    grant = _apply(fund_manager, fund, world)
    for user in (fund_manager, personas[Role.BUREAU_ADMIN], personas[Role.TOWN_OFFICER]):
        with pytest.raises(PermissionDenied):
            services.grant_vote(actor=user, grant=grant, approve=True)
    services.grant_vote(actor=committee[0], grant=grant, approve=True)
    with pytest.raises(ValidationError):
        services.grant_vote(actor=committee[0], grant=grant, approve=True)


def test_f4_grant_beyond_the_balance_is_refused(fund, fund_manager, committee, world):
    _donate(fund_manager, fund, amount="100.00")
    grant = _apply(fund_manager, fund, world, amount="100.01")
    services.grant_vote(actor=committee[0], grant=grant, approve=True)
    with pytest.raises(ValidationError, match="余额不足"):
        services.grant_vote(actor=committee[1], grant=grant, approve=True)
    grant.refresh_from_db()
    assert grant.status == MicroGrant.Status.SUBMITTED and services.fund_pools(fund) == {"": D("100.00")}


def test_f4_restricted_donation_spent_only_on_its_purpose(fund, fund_manager, committee, world):
    _donate(fund_manager, fund, amount="500.00", restricted_to="助老")
    general = _apply(fund_manager, fund, world, amount="100.00")
    services.grant_vote(actor=committee[0], grant=general, approve=True)
    with pytest.raises(ValidationError, match="余额不足"):
        services.grant_vote(actor=committee[1], grant=general, approve=True)
    elderly = _apply(fund_manager, fund, world, amount="400.00", restricted_to="助老")
    services.grant_vote(actor=committee[0], grant=elderly, approve=True)
    services.grant_vote(actor=committee[1], grant=elderly, approve=True)
    assert services.fund_pools(fund) == {"助老": D("100.00")}


def test_f4_donation_reversal_is_a_new_entry_and_never_makes_the_balance_negative(fund, fund_manager, committee, world):
    entry = _donate(fund_manager, fund, amount="300.00")
    grant = _apply(fund_manager, fund, world, amount="300.00")
    services.grant_vote(actor=committee[0], grant=grant, approve=True)
    services.grant_vote(actor=committee[1], grant=grant, approve=True)
    with pytest.raises(ValidationError, match="负数"):
        services.ledger_entry_reverse(actor=fund_manager, entry=entry, reason="录错")
    second = _donate(fund_manager, fund, amount="50.00")
    reversal = services.ledger_entry_reverse(actor=fund_manager, entry=second, reason="重复登记")
    assert reversal.amount == D("-50.00") and reversal.reverses == second
    assert services.fund_pools(fund) == {"": D("0.00")}
    with pytest.raises(PermissionDenied):
        services.ledger_entry_reverse(actor=fund_manager, entry=second, reason="再次")
    with pytest.raises(PermissionDenied):
        services.ledger_entry_reverse(actor=committee[0], entry=entry, reason="x")


def test_f4_grant_close_with_outcome_and_receipts(fund, fund_manager, committee, world, personas):
    _donate(fund_manager, fund)
    agency_user = personas[Role.AGENCY_MANAGER]
    grant = _apply(agency_user, fund, world)
    with pytest.raises(ValidationError):
        services.grant_close(actor=agency_user, grant=grant, outcome="x")  # not approved yet
    services.grant_vote(actor=committee[0], grant=grant, approve=True)
    services.grant_vote(actor=committee[1], grant=grant, approve=True)
    with pytest.raises(PermissionDenied):
        services.grant_close(actor=committee[2], grant=grant, outcome="x")
    with pytest.raises(ValidationError):
        services.grant_close(
            actor=agency_user, grant=grant, outcome="完成", receipts=[SimpleUploadedFile("a.png", b"MZ not an image")]
        )
    with pytest.raises(ValidationError):
        services.grant_close(actor=agency_user, grant=grant, outcome="  ")
    grant = services.grant_close(
        actor=agency_user, grant=grant, outcome="安装扶手 12 处", receipts=[SimpleUploadedFile("fapiao.png", PNG)]
    )
    assert grant.status == MicroGrant.Status.CLOSED and grant.receipts.get().sha256


def test_f4_grant_application_checks_place_and_budget_lines(fund, fund_manager, world, personas):
    with pytest.raises(ValidationError):
        services.grant_apply(
            actor=fund_manager,
            fund=fund,
            kind="micro_venture",
            title="x",
            applicant_kind="resident_group",
            applicant_name="x",
            community=world.community_b1,
            purpose="x",
            budget_lines=[{"item": "a", "amount": "1"}],
        )
    for lines in (
        [],
        [{"item": "", "amount": "1"}],
        [{"item": "a", "amount": "-1"}],
        [{"item": "a", "amount": "1.001"}],
    ):
        with pytest.raises(ValidationError):
            services.grant_apply(
                actor=fund_manager,
                fund=fund,
                kind="micro_venture",
                title="x",
                applicant_kind="resident_group",
                applicant_name="x",
                community=world.communities_a1[0],
                purpose="x",
                budget_lines=lines,
            )
    with pytest.raises(PermissionDenied):
        _apply(personas[Role.EVALUATOR], fund, world)
    grant = services.grant_apply(
        actor=fund_manager,
        fund=fund,
        kind="micro_autonomy",
        title="x",
        applicant_kind="resident_group",
        applicant_name="x",
        community=world.communities_a1[1],
        purpose="x",
        budget_lines=[{"item": "a", "amount": "0.10"}] * 3,
    )
    assert grant.amount == D("0.30")


def test_f5_balance_of_many_small_donations_is_exact(fund, fund_manager):
    for _ in range(300):
        _donate(fund_manager, fund, amount="0.10")
    assert services.fund_pools(fund) == {"": D("30.00")}
    assert rules.money_sum(LedgerEntry.objects.values_list("amount", flat=True)) == D("30.00")


def test_f5_every_movement_has_who_and_when(fund, fund_manager, committee, world):
    _donate(fund_manager, fund)
    grant = _apply(fund_manager, fund, world)
    services.grant_vote(actor=committee[0], grant=grant, approve=True)
    services.grant_vote(actor=committee[1], grant=grant, approve=True)
    for entry in LedgerEntry.objects.all():
        assert entry.recorded_by_id and entry.recorded_at and entry.occurred_on


# --- no edit or delete of money records, anywhere ------------------------------------------------------


def test_f5_ledger_and_payments_read_only_in_the_admin(client, bureau, fund, fund_manager):
    from django.contrib import admin as django_admin
    from django.test import RequestFactory

    entry = _donate(fund_manager, fund)
    request = RequestFactory().get("/")
    request.user = bureau
    for model in (LedgerEntry, Payment):
        model_admin = django_admin.site._registry[model]
        assert not model_admin.has_change_permission(request, None)
        assert not model_admin.has_delete_permission(request, None)
        assert not model_admin.has_add_permission(request)
    client.force_login(bureau)
    url = f"/admin/funds/ledgerentry/{entry.pk}/change/"
    assert client.get(url).status_code == 200  # readable
    client.post(url, {"amount": "1.00"})
    client.post(f"/admin/funds/ledgerentry/{entry.pk}/delete/", {"post": "yes"})
    entry.refresh_from_db()
    assert entry.amount == D("1000.00")


def test_f5_no_service_edits_or_deletes_ledger_entries():
    public = [name for name in dir(services) if not name.startswith("_")]
    assert not [
        n
        for n in public
        if ("ledger" in n or "payment" in n or "donation" in n) and ("update" in n or "delete" in n or "edit" in n)
    ]

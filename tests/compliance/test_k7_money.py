"""K7: instalments unpaid a month after their milestone was met (behind schedule), money paid before its
milestone (ahead of schedule), and funding sources whose yearly budget is over-committed (F2) — the bureau's
findings."""

import datetime
from decimal import Decimal

import pytest

from funds import services
from funds.models import FundingSource, Instalment, PackageYearSplit, Payment, SourceBudget

from .conftest import closed, run

pytestmark = pytest.mark.django_db
D = Decimal


def _instalment(package, milestone, planned_on, amount="392000.00", percent="40", plan_year=1):
    return Instalment.objects.create(
        package=package,
        plan_year=plan_year,
        milestone=milestone,
        percent=D(percent),
        amount=D(amount),
        planned_on=planned_on,
    )


def _pay(instalment, user, amount, paid_on):
    return Payment.objects.create(
        instalment=instalment,
        package=instalment.package,
        paid_on=paid_on,
        amount=D(amount),
        voucher_number=f"V{instalment.pk}-{amount}",
        recorded_by=user,
    )


def test_k7_instalment_behind_schedule_until_paid(world, dated_package, bureau):
    start = _instalment(dated_package, "start", datetime.date(2025, 1, 1))
    key = f"instalment:{start.pk}"
    assert run("K7", datetime.date(2025, 1, 25)) == {}  # within the 30 days' grace
    finding = run("K7", datetime.date(2025, 3, 1))[key]
    assert finding.details["kind"] == "behind" and "逾期" in finding.message
    assert finding.organisation_id == world.city_bureau.pk and finding.package_id == dated_package.pk
    assert finding.url == f"/funds/packages/{dated_package.pk}/"
    _pay(start, bureau, "392000.00", datetime.date(2025, 3, 2))
    assert run("K7", datetime.date(2025, 3, 5)) == {}
    assert closed("K7", key)


def test_k7_payment_before_its_milestone_is_ahead_of_schedule(world, dated_package, bureau):
    mid = _instalment(dated_package, "mid_term", datetime.date(2025, 12, 31), amount="294000.00", percent="30")
    _pay(mid, bureau, "100000.00", datetime.date(2025, 6, 1))
    finding = run("K7", datetime.date(2025, 6, 15))[f"instalment:{mid.pk}"]
    assert finding.details["kind"] == "ahead" and finding.severity == "critical"
    assert "尚未达成" in finding.message


def test_k7_over_committed_source(world, dated_package, other_agency, bureau):
    source = services.source_ensure(kind=FundingSource.Kind.DISTRICT_BUDGET, district=world.district_a)
    year = datetime.date.today().year
    budget = SourceBudget.objects.create(source=source, year=year, amount=D("1000000.00"), set_by=bureau)
    PackageYearSplit.objects.create(
        package=dated_package, plan_year=1, budget=budget, amount=D("980000.00"), committed_by=bureau
    )
    assert run("K7", datetime.date(year, 6, 1)) == {}
    budget.amount = D("500000.00")
    budget.save()
    finding = run("K7", datetime.date(year, 6, 1))[f"budget:{budget.pk}"]
    assert finding.organisation_id == world.district_bureau_a.pk and finding.district_id == world.district_a.pk
    assert "480,000.00" in finding.message
    budget.amount = D("1500000.00")
    budget.save()
    assert run("K7", datetime.date(year, 6, 1)) == {}
    assert closed("K7", f"budget:{budget.pk}")

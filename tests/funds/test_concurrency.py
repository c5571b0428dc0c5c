"""F2 and F4 under concurrency, on PostgreSQL with real threads (each its own connection and transaction).
SQLite serialises writers, so there these tests skip; the sequential refusals are in test_services.py."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum
from django.utils import timezone

from directory.models import Role
from funds import services
from funds.models import LedgerEntry, MicroGrant, PackageYearSplit
from tests.factories import MembershipFactory, UserFactory

D = Decimal


def _race(calls: dict) -> dict:
    barrier = threading.Barrier(len(calls))
    outcomes: dict = {}

    def run(name, fn):
        try:
            barrier.wait(timeout=10)
            outcomes[name] = fn()
        except Exception as exc:  # asserted on by the caller
            outcomes[name] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return outcomes


def _needs_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and real concurrent transactions")


@pytest.mark.django_db(transaction=True)
def test_f2_two_officers_committing_at_once_exactly_one_wins(world, bureau, package, other_package, sources):
    _needs_postgresql()
    other_package.starts_on = package.starts_on
    other_package.ends_on = package.ends_on
    other_package.save()
    second_officer = UserFactory(username="bureau_2", is_staff=True)
    MembershipFactory(user=second_officer, organisation=world.city_bureau, role=Role.BUREAU_ADMIN)
    year = package.starts_on.year
    # Room for one package year of 980,000.00, not two.
    services.budget_set(actor=bureau, source=sources["lottery"], year=year, amount="1500000.00")
    outcomes = _race(
        {
            "a": lambda: services.package_year_split_set(
                actor=bureau, package=package, plan_year=1, parts={sources["lottery"]: package.annual_amount}
            ),
            "b": lambda: services.package_year_split_set(
                actor=second_officer,
                package=other_package,
                plan_year=1,
                parts={sources["lottery"]: other_package.annual_amount},
            ),
        }
    )
    failures = [o for o in outcomes.values() if isinstance(o, Exception)]
    assert len(failures) == 1, outcomes
    assert isinstance(failures[0], ValidationError) and "520,000.00" in str(failures[0])
    committed = PackageYearSplit.objects.filter(budget__source=sources["lottery"]).aggregate(t=Sum("amount"))["t"]
    assert committed == D("980000.00")


@pytest.mark.django_db(transaction=True)
def test_f4_concurrent_grants_never_overdraw_and_balance_is_the_ledger_sum(fund, fund_manager, committee, world):
    _needs_postgresql()
    services.donation_record(
        actor=fund_manager, fund=fund, amount="1000.00", occurred_on=timezone.localdate(), donor_name="某公司"
    )
    grants = []
    for i in range(8):
        grant = services.grant_apply(
            actor=fund_manager,
            fund=fund,
            kind=MicroGrant.Kind.MICRO_AUTONOMY,
            title=f"微自治 {i}",
            applicant_kind="resident_group",
            applicant_name="居民小组",
            community=world.communities_a1[0],
            purpose="楼道整治",
            budget_lines=[{"item": "材料", "amount": "300.00"}],
        )
        services.grant_vote(actor=committee[0], grant=grant, approve=True)
        grants.append(grant)
    outcomes = _race(
        {g.pk: (lambda g=g: services.grant_vote(actor=committee[1], grant=g, approve=True)) for g in grants}
    )
    approved = MicroGrant.objects.filter(status=MicroGrant.Status.APPROVED).count()
    assert approved == 3, outcomes
    refused = [o for o in outcomes.values() if isinstance(o, Exception)]
    assert len(refused) == 5 and all(isinstance(o, ValidationError) for o in refused)
    ledger_sum = LedgerEntry.objects.filter(fund=fund).aggregate(t=Sum("amount"))["t"]
    assert ledger_sum == sum(services.fund_pools(fund).values()) == D("100.00")
    assert ledger_sum >= 0

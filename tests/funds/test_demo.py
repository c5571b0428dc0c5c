"""seed_demo's funds step: sources with budgets, 双塔街道's package split across two sources with paid
instalments and one left for the bureau, the community fund with a year of donations and two micro-grants
(one closed); safe to run twice; nothing dated in the future; F4's balance = ledger sum ≥ 0."""

import pytest
from django.db.models import Sum
from django.utils import timezone

from funds import selectors, services
from funds.models import CommunityFund, LedgerEntry, MicroGrant, PackageYearSplit, Payment
from procurement.models import ServicePackage

pytestmark = pytest.mark.django_db


def test_seed_demo_funds(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = tmp_path
    from core.demo import seed_all

    ctx = seed_all()
    seed_all()
    today = timezone.localdate()
    package = ServicePackage.objects.get(town=ctx.town, status="active")
    splits = PackageYearSplit.objects.filter(package=package)
    assert splits.values("budget__source").distinct().count() == 2
    money = selectors.package_money(package)
    states = [r.state.code for y in money.years for r in y.instalments]
    assert "paid" in states and Payment.objects.filter(package=package).exists()
    assert all(p.paid_on <= today for p in Payment.objects.all())
    fund = CommunityFund.objects.get(name="双塔街道社区公益基金")
    donations = LedgerEntry.objects.filter(fund=fund, kind="donation")
    assert donations.count() == 12 and all(e.occurred_on <= today for e in donations)
    assert fund.grants.count() == 2 and fund.grants.filter(status=MicroGrant.Status.CLOSED).count() == 1
    total = LedgerEntry.objects.filter(fund=fund).aggregate(t=Sum("amount"))["t"]
    assert total == sum(services.fund_pools(fund).values()) and total > 0
    years = selectors.fund_public_years(fund)
    assert any(e.public_donor == "匿名" for y in years for e in y.donations)

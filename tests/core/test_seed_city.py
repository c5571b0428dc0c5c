"""seed_city (issue 14) at a fraction of the city: every app's seeder runs, the rows keep the constraints and the
rules a person would check, and a generated user logs in and sees the city."""

import io
from collections import Counter
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Sum
from django.utils import timezone

from core.city import CITY_PASSWORD
from delivery.models import FocusIssue, ReportLine, ServiceReport
from directory.models import Community, Town
from evaluation.models import AssessmentRound, Evaluation, ScoreSheet
from funds.models import CommunityFund, Instalment, LedgerEntry, Payment
from procurement.models import Agency, ServicePackage, StaffMember

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    out = io.StringIO()
    call_command("seed_city", scale=0.03, stdout=out)
    return out.getvalue()


def test_seed_city_builds_every_part_of_the_city_at_a_fraction_of_the_scale(city):
    assert "City at scale 0.03" in city and "report lines" in city
    packages = list(ServicePackage.objects.all())
    assert len(packages) == Town.objects.filter(packages__isnull=False).count() == 3
    assert Community.objects.filter(town__packages__isnull=False).count() == 3 * 21
    assert Agency.objects.count() == 3 and StaffMember.objects.count() == 54
    assert FocusIssue.objects.count() == 30
    for package in packages:
        reports = ServiceReport.objects.filter(package=package)
        assert Counter(reports.values_list("status", flat=True)) == {"confirmed": 23, "draft": 1}
        assert ReportLine.objects.filter(report__package=package).count() == 24 * 25
        assert AssessmentRound.objects.filter(package=package, status="closed").count() == 2
        assert set(Evaluation.objects.filter(package=package).values_list("stage", "status")) == {
            ("mid_term", "finalised"),
            ("closing", "in_progress"),
        }
        # F3: each instalment already due is paid, exactly.
        due = Instalment.objects.filter(package=package, planned_on__lte=timezone.localdate())
        assert Instalment.objects.filter(package=package).count() == 9
        paid = Payment.objects.filter(package=package)
        assert paid.count() == due.count() >= 4
        assert paid.aggregate(s=Sum("amount"))["s"] == due.aggregate(s=Sum("amount"))["s"]
    assert not ScoreSheet.objects.filter(status="submitted", total__isnull=True).exists()
    assert Evaluation.objects.filter(status="finalised").exclude(grade="").count() == 3


def test_seed_city_ledgers_never_spend_more_than_the_unrestricted_money(city):
    for fund in CommunityFund.objects.all():
        entries = LedgerEntry.objects.filter(fund=fund)
        assert entries.count() == 200
        balance = Decimal("0")
        for entry in entries.order_by("occurred_on", "pk"):
            if not entry.restricted_to:
                balance += entry.amount
            assert balance >= 0
        assert entries.aggregate(total=Sum("amount"))["total"] > 0


def test_seed_city_users_log_in_and_see_the_city(city, client):
    response = client.post("/accounts/login/", {"username": "city-bureau", "password": CITY_PASSWORD})
    assert response.status_code == 302
    response = client.get("/procurement/packages/")
    assert response.status_code == 200
    assert all(p.title in response.content.decode() for p in ServicePackage.objects.all())


def test_seed_city_refuses_a_second_city_without_flush(city):
    with pytest.raises(CommandError, match="--flush"):
        call_command("seed_city", scale=0.03, stdout=io.StringIO())


def test_seed_city_findings_are_what_the_nightly_sweep_finds_in_the_generated_city(city):
    """The findings are not invented rows: running the sweep again over the same city opens nothing new."""
    from compliance.models import Finding
    from compliance.services import sweep

    assert "compliance findings" in city
    before = set(Finding.objects.values_list("rule", "subject_key"))
    assert before, "a generated city with overdue draft reports has findings"
    results = sweep()
    assert not [r.rule for r in results if r.error]
    assert set(Finding.objects.values_list("rule", "subject_key")) == before

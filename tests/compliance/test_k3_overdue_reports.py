"""K3: a month past its S1 due date (the 10th of the next month) without a submitted or confirmed report is the
agency's finding; a submitted report the town leaves unconfirmed is the town office's. Checked on several
days, month and year ends and 29 February included."""

import datetime

import pytest
from django.utils import timezone

from delivery.models import ServiceReport
from tests.procurement.factories import PackageFactory

from .conftest import closed, run

pytestmark = pytest.mark.django_db
Status = ServiceReport.Status

DAYS = [
    None,  # today
    datetime.date(2024, 2, 29),
    datetime.date(2024, 12, 31),
    datetime.date(2025, 1, 10),
    datetime.date(2025, 1, 11),
    datetime.date(2025, 3, 31),
]


def months_back(day: datetime.date, n: int) -> tuple[int, int]:
    index = day.year * 12 + day.month - 1 - n
    return index // 12, index % 12 + 1


@pytest.fixture
def setup(world, agency, round_2018, worker):
    def build(today):
        year, month = months_back(today, 3)
        package = PackageFactory(
            town=world.town_a1,
            agency=agency,
            round=round_2018,
            starts_on=datetime.date(year, month, 1),
            ends_on=datetime.date(year + 2, month, 1),
        )
        return package

    return build


def _report(package, ym, user, status=Status.SUBMITTED, submitted_at=None):
    return ServiceReport.objects.create(
        package=package,
        year=ym[0],
        month=ym[1],
        created_by=user,
        status=status,
        submitted_at=submitted_at or timezone.now(),
    )


@pytest.mark.parametrize("today", DAYS)
def test_k3_overdue_report_gets_a_finding_a_filed_month_none(setup, world, worker, today):
    today = today or timezone.localdate()
    package = setup(today)
    filed, missing, last = months_back(today, 3), months_back(today, 2), months_back(today, 1)
    _report(package, filed, worker)
    findings = run("K3", today)
    key = f"report:{package.pk}:{missing[0]}-{missing[1]:02d}"
    assert key in findings
    assert f"report:{package.pk}:{filed[0]}-{filed[1]:02d}" not in findings
    # Last month's report is due on the 10th of this month: overdue only after it.
    assert (f"report:{package.pk}:{last[0]}-{last[1]:02d}" in findings) == (today.day > 10)
    finding = findings[key]
    assert finding.organisation_id == world.agency.pk
    assert (finding.town_id, finding.package_id) == (world.town_a1.pk, package.pk)
    assert finding.url == f"/delivery/packages/{package.pk}/reports/"
    assert f"{missing[0]}年{missing[1]}月" in finding.message and "逾期" in finding.message
    assert finding.details["due_on"] == datetime.date(*last, 10).isoformat()


def test_k3_filing_the_report_closes_the_finding(setup, worker):
    today = timezone.localdate()
    package = setup(today)
    missing = months_back(today, 2)
    draft = _report(package, missing, worker, status=Status.DRAFT)
    key = f"report:{package.pk}:{missing[0]}-{missing[1]:02d}"
    assert "草稿" in run("K3", today)[key].message
    draft.status = Status.SUBMITTED
    draft.save()
    assert key not in run("K3", today)
    assert closed("K3", key)


def test_k3_report_the_town_leaves_unconfirmed_is_the_town_office_finding(setup, world, worker, town_officer):
    today = timezone.localdate()
    package = setup(today)
    waiting = _report(package, months_back(today, 3), worker, submitted_at=timezone.now() - datetime.timedelta(days=15))
    fresh = _report(package, months_back(today, 2), worker, submitted_at=timezone.now() - datetime.timedelta(days=2))
    findings = run("K3", today)
    key = f"report-confirm:{waiting.pk}"
    assert key in findings and f"report-confirm:{fresh.pk}" not in findings
    assert findings[key].organisation_id == world.town_office_a1.pk
    assert findings[key].url == f"/delivery/reports/{waiting.pk}/"
    waiting.status = Status.CONFIRMED
    waiting.confirmed_by = town_officer
    waiting.confirmed_at = timezone.now()
    waiting.save()
    assert key not in run("K3", today)
    assert closed("K3", key)

"""Compliance fixtures: a sweep of one rule on a given day, packages on fixed dates, staff fielded on a package."""

import datetime

import pytest

from compliance.models import Finding
from compliance.services import sweep
from procurement.models import StaffAssignment
from tests.procurement.factories import PackageFactory

START = datetime.date(2025, 1, 1)
END = datetime.date(2026, 12, 31)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    root = tmp_path / "private_media"
    settings.PRIVATE_MEDIA_ROOT = root
    settings.MEDIA_ROOT = root
    return root


def run(rule: str, today: datetime.date | None = None) -> dict[str, Finding]:
    """Sweep one rule; its open findings by subject key."""
    (result,) = sweep(rules=[rule], today=today)
    assert not result.error, result.error
    return {f.subject_key: f for f in Finding.objects.filter(rule=rule, closed_at__isnull=True)}


def closed(rule: str, key: str) -> bool:
    finding = Finding.objects.get(rule=rule, subject_key=key)
    return finding.status == Finding.Status.CLOSED and finding.closed_at is not None


def field(package, staff) -> None:
    StaffAssignment.objects.bulk_create(
        StaffAssignment(package=package, staff=s, is_full_time=s.is_full_time, starts_on=package.starts_on)
        for s in staff
    )


@pytest.fixture
def dated_package(world, agency, round_2018):
    """Town A1's package from 2025-01-01 to 2026-12-31: tests pass `today=` inside it."""
    return PackageFactory(town=world.town_a1, agency=agency, round=round_2018, starts_on=START, ends_on=END)

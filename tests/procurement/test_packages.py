"""P1 (one active package per town at any date) and P2 (annual amount within the ceiling): in the database
where it can say so, and in procurement/rules.py for the services."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from directory.models import Role
from procurement.models import ServicePackage
from procurement.rules import p1_overlapping_packages, p2_amount_problems
from procurement.services.packages import package_create_direct
from tests.procurement.factories import PackageFactory, TenderFactory

pytestmark = pytest.mark.django_db

JAN_2025 = datetime.date(2025, 1, 1)
END_2026 = datetime.date(2026, 12, 31)


@pytest.fixture
def running(world, agency, round_2018):
    return PackageFactory(town=world.town_a1, agency=agency, round=round_2018, starts_on=JAN_2025, ends_on=END_2026)


def test_p1_rule_finds_overlapping_active_packages_of_the_town(running, world):
    town = world.town_a1
    assert list(p1_overlapping_packages(town, datetime.date(2026, 12, 31), datetime.date(2028, 12, 31))) == [running]
    assert list(p1_overlapping_packages(town, datetime.date(2024, 1, 1), JAN_2025)) == [running]
    # The day after it ends, another town, the package itself, or an ended package: no conflict.
    assert not p1_overlapping_packages(town, datetime.date(2027, 1, 1), datetime.date(2028, 12, 31)).exists()
    assert not p1_overlapping_packages(world.town_a2, JAN_2025, END_2026).exists()
    assert not p1_overlapping_packages(town, JAN_2025, END_2026, exclude_id=running.pk).exists()
    ServicePackage.objects.filter(pk=running.pk).update(status=ServicePackage.Status.ENDED)
    assert not p1_overlapping_packages(town, JAN_2025, END_2026).exists()


def test_p1_service_refuses_a_second_active_package_for_the_town(running, personas, world, agency, agency_team):
    with pytest.raises(ValidationError) as exc:
        package_create_direct(
            actor=personas[Role.BUREAU_ADMIN],
            town=world.town_a1,
            agency=agency,
            round=running.round,
            title="重叠的项目包",
            starts_on=datetime.date(2026, 7, 1),
            ends_on=datetime.date(2028, 6, 30),
            annual_amount="900000",
            annual_ceiling="1000000",
            staff_ids=[s.pk for s in agency_team],
        )
    assert "与本期重叠" in " ".join(exc.value.message_dict["town"])
    assert ServicePackage.objects.filter(town=world.town_a1).count() == 1


def _raw_insert(package: ServicePackage, starts_on, ends_on, status="active") -> None:
    columns = [
        "town_id",
        "agency_id",
        "round_id",
        "edition_id",
        "title",
        "starts_on",
        "ends_on",
        "annual_amount",
        "annual_ceiling",
        "staff_cost_share",
        "status",
        "created_by_id",
        "created_at",
        "cosign_comment",
    ]
    values = [
        package.town_id,
        package.agency_id,
        package.round_id,
        package.edition_id,
        "重叠项目包",
        starts_on,
        ends_on,
        Decimal("900000"),
        Decimal("1000000"),
        Decimal("60"),
        status,
        package.created_by_id,
        package.created_at,
        "",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO procurement_servicepackage ({', '.join(columns)}) VALUES ({', '.join(['%s'] * len(values))})",
            values,
        )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="exclusion constraints need PostgreSQL")
def test_p1_database_refuses_overlapping_active_packages_on_postgresql(running):
    with pytest.raises(IntegrityError, match="package_one_active_per_town"):
        _raw_insert(running, datetime.date(2026, 12, 31), datetime.date(2028, 12, 30))
    # Back to back, or overlapping but ended: allowed.
    _raw_insert(running, datetime.date(2027, 1, 1), datetime.date(2028, 12, 31))
    _raw_insert(running, datetime.date(2025, 6, 1), datetime.date(2027, 5, 31), status="ended")
    assert ServicePackage.objects.filter(town=running.town).count() == 3


def test_p2_database_keeps_the_amount_within_the_ceiling(running):
    with pytest.raises(IntegrityError), transaction.atomic():
        ServicePackage.objects.filter(pk=running.pk).update(annual_amount=Decimal("1000000.01"))
    with pytest.raises(IntegrityError), transaction.atomic():
        ServicePackage.objects.filter(pk=running.pk).update(annual_amount=Decimal("0"))
    ServicePackage.objects.filter(pk=running.pk).update(annual_amount=Decimal("1000000.00"))


def test_p2_rule_checks_the_tenders_ceiling_too(world, round_2018):
    tender = TenderFactory(town=world.town_a1, round=round_2018, annual_ceiling=Decimal("800000"))
    assert p2_amount_problems(Decimal("800000"), Decimal("1000000"), tender) == []
    problems = p2_amount_problems(Decimal("850000"), Decimal("1000000"), tender)
    assert len(problems) == 1 and "800000" in problems[0] and tender.title in problems[0]
    assert len(p2_amount_problems(Decimal("1200000"), Decimal("1000000"))) == 1
    assert p2_amount_problems(Decimal("0"), Decimal("1000000"))


def test_p2_service_refuses_an_amount_over_the_ceiling(personas, world, agency, agency_team, round_2018):
    with pytest.raises(ValidationError) as exc:
        package_create_direct(
            actor=personas[Role.BUREAU_ADMIN],
            town=world.town_a2,
            agency=agency,
            round=round_2018,
            title="超限价项目包",
            starts_on=JAN_2025,
            ends_on=END_2026,
            annual_amount="1000000.01",
            annual_ceiling="1000000",
            staff_ids=[s.pk for s in agency_team],
        )
    assert "年度金额" in " ".join(exc.value.message_dict["annual_amount"])

"""A small city where every package breaks K1–K7 the same way, for query counts at two data sizes and the
concurrency test: each package in its own town with one community, one full-time staff member whose certificate
expires soon, an approved plan lagging behind, overdue reports, a mid-term evaluation never assigned, an unpaid
start instalment, and a split on a budget that is over-committed. `TODAY` lies in every package's plan year 2."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from catalog.models import ServiceItem
from delivery.models import PlanItem, ReportLine, ServicePlan, ServiceReport
from funds.models import FundingSource, Instalment, PackageYearSplit, SourceBudget
from funds.services import source_ensure
from procurement.models import StaffAssignment
from tests.factories import CommunityFactory, TownFactory
from tests.procurement.factories import CertificateFactory, PackageFactory, StaffFactory

START = datetime.date(2025, 1, 1)
END = datetime.date(2026, 12, 31)
TODAY = datetime.date(2026, 3, 1)


def build_city(n: int, *, district, agency, round_, user) -> list:
    item = ServiceItem.objects.filter(edition=round_.edition, code="JC-01").get()
    source = source_ensure(kind=FundingSource.Kind.CITY_BUDGET)
    budget, _ = SourceBudget.objects.get_or_create(
        source=source, year=2025, defaults={"amount": Decimal("1000.00"), "set_by": user}
    )
    packages = []
    for _i in range(n):
        town = TownFactory(district=district)
        community = CommunityFactory(town=town)
        package = PackageFactory(town=town, agency=agency, round=round_, starts_on=START, ends_on=END)
        staff = StaffFactory(agency=agency)
        CertificateFactory(staff=staff, expires_on=TODAY + datetime.timedelta(days=20))
        StaffAssignment.objects.create(package=package, staff=staff, starts_on=START)
        plan = ServicePlan.objects.create(
            package=package, status=ServicePlan.Status.APPROVED, version=1, approved_at=timezone.now()
        )
        plan_item = PlanItem.objects.create(plan=plan, item=item, community=community, year=2, annual_target=100)
        report = ServiceReport.objects.create(
            package=package, year=2025, month=12, created_by=user, status=ServiceReport.Status.CONFIRMED
        )
        ReportLine.objects.create(report=report, plan_item=plan_item, households=1)
        Instalment.objects.create(
            package=package,
            plan_year=1,
            milestone="start",
            percent=Decimal("40"),
            amount=Decimal("392000.00"),
            planned_on=START,
        )
        PackageYearSplit.objects.create(
            package=package, plan_year=1, budget=budget, amount=package.annual_amount, committed_by=user
        )
        packages.append(package)
    return packages

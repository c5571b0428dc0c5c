"""Money for the benchmarks: a source budget per kind, every generated package's first year split across two
sources with its schedule and its signature instalment paid, and one community fund per `scale` towns' worth
of donations and grants. Through the services (the data is small next to the rest)."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from directory.models import Organisation, Town
from funds import services
from funds.models import CommunityFund, FundingSource, FundMember
from procurement.models import ServicePackage


def generate_money(scale: int, users: dict) -> dict:
    admin = users["bureau_admin"]
    today = timezone.localdate()
    town = Town.objects.order_by("pk").first()
    lottery = services.source_ensure(kind=FundingSource.Kind.WELFARE_LOTTERY)
    district = services.source_ensure(kind=FundingSource.Kind.DISTRICT_BUDGET, district=town.district)
    packages = list(ServicePackage.objects.select_related("contract", "round"))
    for year in {p.starts_on.year for p in packages}:
        for source in (lottery, district):
            services.budget_set(actor=admin, source=source, year=year, amount=Decimal("999999999.00"))
    for package in packages:
        half = (package.annual_amount / 2).quantize(Decimal("0.01"))
        services.package_year_split_set(
            actor=admin, package=package, plan_year=1, parts={lottery: half, district: package.annual_amount - half}
        )
        start = package.instalments.get(plan_year=1, milestone="start")
        if start.planned_on <= today:
            services.payment_record(
                actor=admin, instalment=start, amount=start.amount, paid_on=today, voucher_number=f"B-{package.pk}"
            )
    host = Organisation.objects.create(kind=Organisation.Kind.FOUNDATION, name="基准社区发展基金会")
    fund = CommunityFund.objects.create(kind=CommunityFund.Kind.FOUNDATION, name="基准社区基金", host=host, town=town)
    FundMember.objects.create(fund=fund, user=admin, role=FundMember.Role.MANAGER)
    for i in range(scale):
        services.donation_record(
            actor=admin,
            fund=fund,
            amount=Decimal("100.10"),
            occurred_on=today,
            donor_name=f"捐赠人{i}",
            is_anonymous=i % 3 == 0,
            restricted_to="助老" if i % 4 == 0 else "",
        )
        services.grant_apply(
            actor=admin,
            fund=fund,
            kind="micro_venture",
            title=f"微项目{i}",
            applicant_kind="resident_group",
            applicant_name="居民小组",
            community=town.communities.first(),
            purpose="用途",
            budget_lines=[{"item": "材料", "amount": "10.00"}],
        )
    return {"fund": fund}

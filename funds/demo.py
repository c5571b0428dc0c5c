"""seed_demo step (order 90): funding sources with budgets, 双塔街道's package funded from two sources with its
paid instalments (and the ones still waiting for their evaluation), and 双塔街道社区公益基金 with a year of
donations, two micro-grants (one closed) and its public page. Dates are relative to today, never in the
future; safe to run twice."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from core.demo import DemoContext, register
from directory.models import Membership, Role, User
from procurement.models import ServicePackage

from . import rules, selectors, services
from .models import CommunityFund, FundingSource, FundMember, MicroGrant, PackageYearSplit

FUND_NAME = "双塔街道社区公益基金"
LOTTERY_SHARE = Decimal("0.6")


def _user(ctx: DemoContext, username: str, full_name: str, role: str | None = None, organisation=None) -> User:
    from directory.demo import DEMO_PASSWORD

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, email=f"{username}@demo.suzhou-sw.local")
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
        label = Role(role).label if role else "社区基金管委会委员"
        ctx.lines.append(f"  {username:<10} {DEMO_PASSWORD}   {label}")
    if role:
        Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    ctx.users[username] = user
    return user


@register(order=90)
def seed_funds(ctx: DemoContext) -> None:
    bureau = ctx.users["bureau"]
    today = timezone.localdate()
    lottery = services.source_ensure(kind=FundingSource.Kind.WELFARE_LOTTERY)
    city = services.source_ensure(kind=FundingSource.Kind.CITY_BUDGET)
    district = services.source_ensure(kind=FundingSource.Kind.DISTRICT_BUDGET, district=ctx.district)
    for source, amount in ((lottery, "30000000.00"), (city, "20000000.00"), (district, "12000000.00")):
        for year in range(today.year - 2, today.year + 1):
            if not source.budgets.filter(year=year).exists():
                services.budget_set(actor=bureau, source=source, year=year, amount=Decimal(amount))
    ctx.lines.append("  funding sources: 市级福彩公益金, 市级财政预算, 姑苏区区级财政预算 with budgets")
    package = ServicePackage.objects.filter(town=ctx.town, status=ServicePackage.Status.ACTIVE).first()
    if package is not None:
        _seed_package_money(ctx, package, lottery, district)
    _seed_fund(ctx, today)


def _seed_package_money(ctx: DemoContext, package: ServicePackage, lottery, district) -> None:
    bureau = ctx.users["bureau"]
    today = timezone.localdate()
    years = services.package_plan_years(package)
    for plan_year in range(1, years + 1):
        if PackageYearSplit.objects.filter(package=package, plan_year=plan_year).exists():
            continue
        if rules.plan_year_bounds(package.starts_on, package.ends_on, plan_year)[0] > today:
            continue
        from_lottery = rules.cents(package.annual_amount * LOTTERY_SHARE)
        services.package_year_split_set(
            actor=bureau,
            package=package,
            plan_year=plan_year,
            parts={lottery: from_lottery, district: package.annual_amount - from_lottery},
        )
    services.schedule_generate(package=package)
    money = selectors.package_money(package)
    due = [r for y in money.years for r in y.instalments if r.state.code == "due"]
    # The newest instalment released by an evaluation stays unpaid: the bureau pays it in the tour.
    keep = max((r for r in due if r.stage), key=lambda r: r.instalment.planned_on, default=None)
    paid = 0
    for row in due:
        if row is keep or row.paid:
            continue
        services.payment_record(
            actor=bureau,
            instalment=row.instalment,
            amount=row.remaining,
            paid_on=min(max(row.instalment.planned_on, package.starts_on), today),
            voucher_number=f"GS-{row.instalment.plan_year}-{row.instalment.pk:04d}",
            note="演示数据",
        )
        paid += 1
    states = {}
    for r in (r for y in selectors.package_money(package).years for r in y.instalments):
        states[r.state.code] = states.get(r.state.code, 0) + 1
    ctx.lines.append(
        f"  package money {package.title}: 60% 福彩公益金 / 40% 区级预算, {paid} payments, states {states}"
    )


def _seed_fund(ctx: DemoContext, today: datetime.date) -> None:
    if CommunityFund.objects.filter(name=FUND_NAME).exists():
        return
    foundation = ctx.organisations["foundation"]
    manager = _user(ctx, "fundmgr", "吴基金", Role.FUND_MANAGER, foundation)
    fund = CommunityFund.objects.create(
        kind=CommunityFund.Kind.COMMUNITY_FUND,
        name=FUND_NAME,
        host=foundation,
        town=ctx.town,
        description="由姑苏区社区发展基金会托管，资助双塔街道居民自治与社区微更新。",
        established_on=today - datetime.timedelta(days=400),
    )
    FundMember.objects.create(fund=fund, user=manager, role=FundMember.Role.MANAGER)
    committee = [
        ctx.users.get("town") or _user(ctx, "committee3", "孙委员"),
        ctx.users.get("community") or _user(ctx, "committee2", "钱委员"),
        _user(ctx, "committee", "赵委员"),
    ]
    for member in committee:
        FundMember.objects.get_or_create(fund=fund, user=member, role=FundMember.Role.COMMITTEE)
    donors = [
        ("苏州双塔商贸有限公司", False, ""),
        ("", True, ""),
        ("十全街商户联合会", False, "助老"),
        ("王女士", False, ""),
        ("", True, "助老"),
        ("苏州某科技公司", False, ""),
    ]
    for month in range(12):
        donor, anonymous, purpose = donors[month % len(donors)]
        services.donation_record(
            actor=manager,
            fund=fund,
            amount=Decimal(2000 + 500 * (month % 4)) + Decimal("0.50") * (month % 3),
            occurred_on=today - datetime.timedelta(days=360 - 30 * month),
            donor_name=donor,
            is_anonymous=anonymous,
            restricted_to=purpose,
        )
    communities = list(ctx.town.communities.order_by("code")[:2])
    closed = services.grant_apply(
        actor=manager,
        fund=fund,
        kind=MicroGrant.Kind.MICRO_AUTONOMY,
        title="南园楼道微更新",
        applicant_kind=MicroGrant.ApplicantKind.RESIDENT_GROUP,
        applicant_name="南园社区楼道自治小组",
        community=communities[0],
        purpose="老旧楼道加装扶手、照明，清理堆物",
        restricted_to="助老",
        budget_lines=[{"item": "扶手与安装", "amount": "3200.00"}, {"item": "感应灯", "amount": "800.00"}],
    )
    for member in committee[:2]:
        services.grant_vote(actor=member, grant=closed, approve=True, comment="同意，惠及高龄居民。")
    from procurement.demo import tiny_pdf

    services.grant_close(
        actor=manager,
        grant=closed,
        outcome="6 个楼道加装扶手 48 米、感应灯 24 盏，清理堆物 3 吨；居民满意度 96%。",
        receipts=[SimpleUploadedFile("fapiao.pdf", tiny_pdf("receipt 4000.00"), content_type="application/pdf")],
    )
    waiting = services.grant_apply(
        actor=manager,
        fund=fund,
        kind=MicroGrant.Kind.MICRO_VENTURE,
        title="睦邻四点半课堂",
        applicant_kind=MicroGrant.ApplicantKind.COMMUNITY_ORG,
        applicant_name="双塔睦邻志愿服务队",
        community=communities[-1],
        purpose="为双职工家庭孩子提供放学后托管与作业辅导",
        budget_lines=[{"item": "教材与文具", "amount": "1500.00"}, {"item": "志愿者交通与餐补", "amount": "1500.00"}],
    )
    services.grant_vote(actor=committee[0], grant=waiting, approve=True, comment="需求明确。")
    balance = sum(services.fund_pools(fund).values())
    ctx.lines.append(f"  community fund {fund.name}: 12 donations, 2 micro-grants (1 closed), balance {balance}")

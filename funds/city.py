"""City-scale money for `manage.py seed_city` (core.city).

Sources: the welfare lottery and each district's budget (F1), with a budget per calendar year the packages run
in; every package year split half and half between the lottery and its district (F2); the payment schedule of
every package from the default template (F3) and a payment for each instalment already due. Community funds
(F4): one per town, hosted by a foundation per district, with a manager (`city-fund-<district code>`) and the
town and community officers as committee, and a ledger of 200 entries each (20,000 × S): donations, some
restricted or anonymous, and disbursed micro-grants, dated over the last two years so no pool goes negative."""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.city import CityContext, bulk, explicit_timestamps, register
from directory.models import Membership, Organisation, Role, User
from procurement.city import at

from . import rules, services
from .models import (
    CommunityFund,
    FundingSource,
    FundMember,
    Instalment,
    LedgerEntry,
    MicroGrant,
    PackageYearSplit,
    Payment,
    SourceBudget,
)

LEDGER_ENTRIES_PER_FUND = 200


@register(order=90)
def seed_city_funds(ctx: CityContext) -> None:
    rnd, today = ctx.rnd, ctx.today
    packages = ctx.rows["packages"]
    districts = ctx.rows["districts"]
    bureau = ctx.users["city-bureau"]

    lottery = services.source_ensure(kind=FundingSource.Kind.WELFARE_LOTTERY)
    district_source = {
        d.pk: services.source_ensure(kind=FundingSource.Kind.DISTRICT_BUDGET, district=d) for d in districts
    }
    sources = [lottery, *district_source.values()]
    years = sorted(
        {
            rules.budget_year_of(p.starts_on, y)
            for p in packages
            for y in range(1, rules.plan_year_count(p.starts_on, p.ends_on) + 1)
        }
    )
    budgets = bulk(
        SourceBudget,
        [
            SourceBudget(
                source=s, year=y, amount=Decimal("500000000.00") * Decimal(str(max(1, ctx.scale))), set_by=bureau
            )
            for s in sources
            for y in years
        ],
    )
    budget_of = {(b.source_id, b.year): b for b in budgets}
    town_district = {t.pk: t.district_id for t in ctx.rows["towns"]}
    percents = dict(rules.DEFAULT_PERCENTS)
    splits, instalments = [], []
    for p in packages:
        n_years = rules.plan_year_count(p.starts_on, p.ends_on)
        signed_on = p.starts_on - datetime.timedelta(days=10)
        for plan_year in range(1, n_years + 1):
            year = rules.budget_year_of(p.starts_on, plan_year)
            half = rules.cents(p.annual_amount / 2)
            for source, amount in (
                (lottery, half),
                (district_source[town_district[p.town_id]], p.annual_amount - half),
            ):
                splits.append(
                    PackageYearSplit(
                        package=p,
                        plan_year=plan_year,
                        budget=budget_of[(source.pk, year)],
                        amount=amount,
                        committed_by=bureau,
                    )
                )
            instalments.extend(services.year_instalments(p, plan_year, percents=percents, signed_on=signed_on))
    bulk(PackageYearSplit, splits)
    instalments = bulk(Instalment, instalments)
    due = [i for i in instalments if i.planned_on <= today]
    with explicit_timestamps((Payment, "recorded_at")):
        payments = bulk(
            Payment,
            [
                Payment(
                    instalment=i,
                    package_id=i.package_id,
                    paid_on=min(today, i.planned_on + datetime.timedelta(days=rnd.randrange(5, 30))),
                    amount=i.amount,
                    voucher_number=f"PZ-{i.pk:07d}",
                    recorded_by=bureau,
                    recorded_at=at(min(today, i.planned_on + datetime.timedelta(days=30))),
                )
                for i in due
            ],
        )

    hosts = bulk(
        Organisation,
        [
            Organisation(kind=Organisation.Kind.FOUNDATION, name=f"{d.name}社区发展基金会", district=d)
            for d in districts
        ],
    )
    host_of = {d.pk: h for d, h in zip(districts, hosts, strict=True)}
    managers = bulk(
        User,
        [
            User(username=f"city-fund-{d.code}", full_name=f"{d.name}基金管理人", password=ctx.password_hash)
            for d in districts
        ],
    )
    ctx.users.update({u.username: u for u in managers})
    manager_of = {d.pk: u for d, u in zip(districts, managers, strict=True)}
    bulk(
        Membership,
        [Membership(user=u, organisation=h, role=Role.FUND_MANAGER) for u, h in zip(managers, hosts, strict=True)],
    )
    towns = ctx.rows["towns"]
    by_town = ctx.rows["communities_by_town"]
    with explicit_timestamps((CommunityFund, "created_at")):
        funds = bulk(
            CommunityFund,
            [
                CommunityFund(
                    kind=CommunityFund.Kind.COMMUNITY_FUND,
                    name=f"{t.name}社区公益基金",
                    host=host_of[t.district_id],
                    town=t,
                    community=by_town[t.pk][0],
                    description="汇集辖区企业与居民捐赠，支持居民自治微项目。",
                    established_on=today - datetime.timedelta(days=800),
                    created_at=at(today - datetime.timedelta(days=800)),
                )
                for t in towns
            ],
        )
    members = []
    for fund, t in zip(funds, towns, strict=True):
        members.append(FundMember(fund=fund, user=manager_of[t.district_id], role=FundMember.Role.MANAGER))
        members.append(FundMember(fund=fund, user=ctx.users[f"city-town-{t.code}"], role=FundMember.Role.COMMITTEE))
        community_officer = ctx.users[f"city-community-{by_town[t.pk][0].code}"]
        members.append(FundMember(fund=fund, user=community_officer, role=FundMember.Role.COMMITTEE))
    bulk(FundMember, members)

    # Per fund: entries in date order; a grant only when the unrestricted balance covers it.
    grants, entries = [], []
    for fund, t in zip(funds, towns, strict=True):
        manager = manager_of[t.district_id]
        communities = by_town[t.pk]
        days = sorted(rnd.randrange(0, 730) for _ in range(LEDGER_ENTRIES_PER_FUND))
        balance = Decimal("0")
        for k, ago in enumerate(reversed(days)):
            day = today - datetime.timedelta(days=ago)
            if balance > Decimal("3000") and rnd.random() < 0.25:
                amount = rules.cents(Decimal(rnd.randrange(500, 3000)))
                grant = MicroGrant(
                    fund=fund,
                    kind=rnd.choice(["micro_venture", "micro_autonomy"]),
                    title=f"{rnd.choice(communities).name}微项目{k}",
                    applicant_kind="resident_group",
                    applicant_name="居民议事小组",
                    community=rnd.choice(communities),
                    purpose="楼道微更新与邻里活动。",
                    budget_lines=[{"item": "材料与活动费", "amount": str(amount)}],
                    amount=amount,
                    status="approved",
                    applied_by=manager,
                    applied_at=at(day - datetime.timedelta(days=10)),
                    decided_at=at(day),
                )
                grants.append(grant)
                entries.append(
                    LedgerEntry(
                        fund=fund,
                        kind="grant",
                        amount=-amount,
                        occurred_on=day,
                        grant=grant,
                        recorded_by=manager,
                        recorded_at=at(day),
                    )
                )
                balance -= amount
            else:
                amount = rules.cents(Decimal(rnd.randrange(100, 20000)) / 4)
                restricted = "助老" if rnd.random() < 0.1 else ""
                anonymous = rnd.random() < 0.2
                entries.append(
                    LedgerEntry(
                        fund=fund,
                        kind="donation",
                        amount=amount,
                        occurred_on=day,
                        restricted_to=restricted,
                        donor_name="" if anonymous else f"爱心人士{k}",
                        is_anonymous=anonymous,
                        recorded_by=manager,
                        recorded_at=at(day),
                    )
                )
                if not restricted:
                    balance += amount
    with explicit_timestamps((MicroGrant, "applied_at")):
        grants = bulk(MicroGrant, grants)
    for entry in entries:
        if entry.grant is not None:
            entry.grant_id = entry.grant.pk
    with explicit_timestamps((LedgerEntry, "recorded_at")):
        bulk(LedgerEntry, entries, batch_size=5000)

    ctx.count("funding sources", len(sources))
    ctx.count("source budgets", len(budgets))
    ctx.count("package-year splits", len(splits))
    ctx.count("instalments", len(instalments))
    ctx.count("payments", len(payments))
    ctx.count("community funds", len(funds))
    ctx.count("micro-grants", len(grants))
    ctx.count("ledger entries", len(entries))
    ctx.count("users", len(managers))

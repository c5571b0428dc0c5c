"""City-scale plans, monthly reports and focus issues for `manage.py seed_city` (core.city).

Every package gets an approved plan of 25 catalogue sub-items per plan year (community-level items placed in one
of the town's communities) and two venues; 24 monthly reports, the 23 older ones confirmed by the town office
and last month's a draft the agency is still filling in, each with a line per item of its plan year (≈ 60,000
lines at S=1); and 1,000 × S focus issues over the last two years with their events."""

from __future__ import annotations

import datetime
from decimal import Decimal

from catalog.models import ServiceItem
from core.city import CityContext, bulk, explicit_timestamps, register
from procurement.city import at, month_start

from .models import FocusIssue, FocusIssueEvent, PlanItem, PlanVersion, ReportLine, ServicePlan, ServiceReport, Venue

ITEMS_PER_PLAN_YEAR = 25
REPORT_MONTHS = 24
FOCUS_ISSUES_PER_SCALE = 1000

# What agencies write about a month's work and what residents raise, varied so that a search (issue 13) finds
# some rows and not others, as in real reports. Picked by position, not by `rnd`: the city stays the same.
NARRATIVES = (
    "按计划开展。",
    "入户探访独居老人，排查用电用气安全隐患，登记需求。",
    "开展4点半课堂作业辅导和课后兴趣活动，志愿者协助。",
    "组织社区志愿者清理楼道杂物，宣传垃圾分类。",
    "为高龄空巢老人电话问安，链接助餐资源。",
    "开展亲子阅读活动，家长反馈良好。",
    "困境儿童个案跟进，联系学校与家庭共同帮扶。",
    "举办防诈骗宣传讲座，发放宣传资料。",
    "残疾人康复训练小组活动，链接康复器具。",
    "新市民融入活动：邻里节、社区导览。",
)
FOCUS_DESCRIPTIONS = (
    "居民反映，需协调物业与社区共同处理。",
    "独居老人家中无人照看，需定期探访。",
    "楼道堆放杂物，存在消防隐患。",
    "放学后儿童无人看护，希望开设4点半课堂。",
    "小区停车难，居民之间多有争执。",
)


@register(order=50)
def seed_city_delivery(ctx: CityContext) -> None:
    rnd, today = ctx.rnd, ctx.today
    packages = ctx.rows["packages"]
    by_town = ctx.rows["communities_by_town"]
    bureau = ctx.users["city-bureau"]
    catalogue = list(
        ServiceItem.objects.filter(edition_id=packages[0].edition_id).select_related("category").order_by("code")
    )
    years = 3
    first = packages[0].starts_on

    with explicit_timestamps((ServicePlan, "updated_at")):
        plans = bulk(
            ServicePlan,
            [
                ServicePlan(
                    package=p,
                    status="approved",
                    version=1,
                    submitted_at=at(p.starts_on + datetime.timedelta(days=10)),
                    approved_at=at(p.starts_on + datetime.timedelta(days=20)),
                    updated_at=at(p.starts_on + datetime.timedelta(days=20)),
                )
                for p in packages
            ],
        )
    plan_items = []
    for p, plan in zip(packages, plans, strict=True):
        communities = by_town[p.town_id]
        chosen = rnd.sample(catalogue, min(ITEMS_PER_PLAN_YEAR, len(catalogue)))
        places = [None if item.level == "town" else rnd.choice(communities) for item in chosen]
        for year in range(1, years + 1):
            for item, community in zip(chosen, places, strict=True):
                plan_items.append(
                    PlanItem(
                        plan=plan,
                        item=item,
                        community=community,
                        year=year,
                        annual_target=item.suggested_annual_target,
                    )
                )
    plan_items = bulk(PlanItem, plan_items, batch_size=5000)
    items_by_plan_year: dict[tuple[int, int], list[PlanItem]] = {}
    for pi in plan_items:
        items_by_plan_year.setdefault((pi.plan_id, pi.year), []).append(pi)
    with explicit_timestamps((PlanVersion, "approved_at")):
        bulk(
            PlanVersion,
            [
                PlanVersion(
                    plan=plan,
                    number=1,
                    snapshot={
                        "items": [
                            {
                                "item": pi.item.code,
                                "community": pi.community_id,
                                "year": pi.year,
                                "target": pi.annual_target,
                            }
                            for pi in items_by_plan_year[(plan.pk, 1)]
                        ]
                    },
                    approved_by=bureau,
                    approved_at=plan.approved_at,
                )
                for plan in plans
            ],
        )
    bulk(
        Venue,
        [
            Venue(
                package=p,
                community=community,
                name=f"{community.name if community else '街镇'}党群服务中心活动室",
                address="苏州市",
                area_m2=Decimal(60 + rnd.randrange(140)),
                equipment="桌椅、投影仪",
            )
            for p in packages
            for community in (None, by_town[p.town_id][0])
        ],
    )

    reports = []
    for p in packages:
        manager = ctx.users[f"city-agency-{ctx.rows['agency_index'][p.agency_id]}"]
        officer = ctx.users[f"city-town-{ctx.rows['town_code'][p.town_id]}"]
        for k in range(REPORT_MONTHS):
            month = month_start(today, REPORT_MONTHS - k)
            filed = month_start(today, REPORT_MONTHS - k - 1) + datetime.timedelta(days=rnd.randrange(3, 9))
            draft = k == REPORT_MONTHS - 1
            reports.append(
                ServiceReport(
                    package=p,
                    year=month.year,
                    month=month.month,
                    status="draft" if draft else "confirmed",
                    summary=f"{month.year}年{month.month}月：按计划开展各项服务。",
                    created_by=manager,
                    submitted_at=None if draft else at(filed),
                    confirmed_by=None if draft else officer,
                    confirmed_at=None if draft else at(filed + datetime.timedelta(days=2)),
                    updated_at=at(today if draft else filed + datetime.timedelta(days=2)),
                )
            )
    with explicit_timestamps((ServiceReport, "updated_at")):
        reports = bulk(ServiceReport, reports, batch_size=5000)
    plan_of_package = {plan.package_id: plan.pk for plan in plans}
    lines = []
    for r in reports:
        plan_year = (r.year * 12 + r.month - first.year * 12 - first.month) // 12 + 1
        for pi in items_by_plan_year[(plan_of_package[r.package_id], plan_year)]:
            sessions = rnd.randrange(0, 5)
            lines.append(
                ReportLine(
                    report=r,
                    plan_item=pi,
                    sessions=sessions,
                    attendances=sessions * rnd.randrange(8, 30),
                    households=rnd.randrange(0, 8),
                    volunteer_hours=Decimal(rnd.randrange(0, 40)) / 2,
                    narrative="" if rnd.random() < 0.7 else NARRATIVES[len(lines) % len(NARRATIVES)],
                )
            )
    bulk(ReportLine, lines, batch_size=10000)
    ctx.rows["reports"] = reports

    package_of_town = {p.town_id: p for p in packages}
    towns = ctx.rows["towns"]
    statuses = ["resolved"] * 10 + ["in_progress"] * 5 + ["reported"] * 3 + ["escalated"] * 2
    issues = []
    for k in range(ctx.scaled(FOCUS_ISSUES_PER_SCALE)):
        town = rnd.choice(towns)
        community = rnd.choice(by_town[town.pk])
        kind = rnd.choice(FocusIssue.Kind.values)
        status = rnd.choice(statuses)
        reported = today - datetime.timedelta(days=rnd.randrange(0, 730))
        resolved_on = min(today, reported + datetime.timedelta(days=rnd.randrange(3, 60)))
        reporter = ctx.users[f"city-town-{town.code}"]
        issues.append(
            FocusIssue(
                community=community,
                package=package_of_town.get(town.pk),
                kind=kind,
                title=f"{community.name}{FocusIssue.Kind(kind).label}问题（{k}）",
                description=FOCUS_DESCRIPTIONS[k % len(FOCUS_DESCRIPTIONS)],
                status=status,
                resolution="已协调处理，居民满意。" if status == "resolved" else "",
                resolved_on=resolved_on if status == "resolved" else None,
                reported_by=reporter,
                reported_at=at(reported, 9 + k % 8),
            )
        )
    with explicit_timestamps((FocusIssue, "reported_at")):
        issues = bulk(FocusIssue, issues)
    events = []
    for issue in issues:
        events.append(
            FocusIssueEvent(
                issue=issue, from_status="", to_status="reported", actor=issue.reported_by, at=issue.reported_at
            )
        )
        if issue.status != "reported":
            events.append(
                FocusIssueEvent(
                    issue=issue,
                    from_status="reported",
                    to_status=issue.status,
                    note=issue.resolution,
                    actor=issue.reported_by,
                    at=issue.reported_at + datetime.timedelta(days=2),
                )
            )
    with explicit_timestamps((FocusIssueEvent, "at")):
        bulk(FocusIssueEvent, events)

    ctx.count("plan items", len(plan_items))
    ctx.count("reports", len(reports))
    ctx.count("report lines", len(lines))
    ctx.count("focus issues", len(issues))

"""Demo data of delivery: the demo package's plan and venues (P3–P8), a year of monthly reports (S1–S4) and
focus issues (S5)."""

import datetime
from decimal import Decimal

from django.utils import timezone

from core.demo import DemoContext, register
from procurement.demo import local_datetime, tiny_pdf

# --- service plan and venues (P3–P8) -------------------------------------------------------------

# Per community, cycling: (basic, empowerment, governance) sub-items of the 2018 catalogue. Every community
# gets a basic item and a needs-research item in year 1 (P4, P6), and empowerment and governance items in
# both years (P5, and more than half of community-level items, P6).
DEMO_PLAN_CYCLE = [
    ("JC-01", "ZZ-01", "JD-01"),
    ("JC-08", "ZZ-04", "JD-02"),
    ("JC-02", "ZZ-07", "JD-03"),
    ("JC-09", "ZZ-08", "JD-04"),
    ("JC-23", "ZZ-11", "JD-05"),
    ("JC-06", "ZZ-09", "JD-08"),
]
DEMO_PLAN_TOWN_ITEMS = ["JC-35", "XQ-02", "ZZ-05", "ZZ-06"]


@register(order=50)
def seed_plan(ctx: DemoContext) -> None:
    """An approved service plan (v1) for 双塔街道's active package that satisfies P4–P6, written through the
    plan services (agency drafts and submits, the town forwards, the bureau approves), and venues from the
    town and two communities (P8). Safe to run twice: it picks up where a previous run stopped."""
    from catalog.models import ServiceItem
    from delivery.models import PlanItem, ServicePlan, Venue
    from procurement.models import ServicePackage

    from .services import plans as services

    package = (
        ServicePackage.objects.filter(town=ctx.town, status=ServicePackage.Status.ACTIVE)
        .select_related("town", "agency", "edition", "round")
        .first()
    )
    if package is None:
        ctx.lines.append(f"  plan: no active package for {ctx.town.name} yet, skipped")
        return
    agency_user, town_user, bureau = ctx.users["agency"], ctx.users["town"], ctx.users["bureau"]
    plan = ServicePlan.objects.filter(package=package).first()
    if plan is None or plan.version == 0:
        catalogue = {i.code: i for i in ServiceItem.objects.filter(edition=package.edition)}
        plan = services.plan_get_or_create(actor=agency_user, package=package)
        wanted = [(catalogue[code], None, year) for code in DEMO_PLAN_TOWN_ITEMS for year in (1, 2)]
        for n, community in enumerate(package.town.communities.order_by("code")):
            basic, empowerment, governance = DEMO_PLAN_CYCLE[n % len(DEMO_PLAN_CYCLE)]
            wanted.append((catalogue["XQ-01"], community, 1))
            for year in (1, 2):
                wanted += [(catalogue[code], community, year) for code in (basic, empowerment, governance)]
        if plan.status in (ServicePlan.Status.DRAFT, ServicePlan.Status.RETURNED):
            for item, community, year in wanted:
                if not PlanItem.objects.filter(plan=plan, item=item, community=community, year=year).exists():
                    services.plan_item_add(
                        actor=agency_user,
                        package=package,
                        item=item,
                        community=community,
                        year=year,
                        annual_target=item.suggested_annual_target,
                    )
            plan = services.plan_submit(actor=agency_user, plan=plan)
        if plan.status == ServicePlan.Status.SUBMITTED:
            plan = services.plan_town_review(
                actor=town_user, plan=plan, approve=True, reason="各社区均已覆盖，同意报民政局审批。"
            )
        if plan.status == ServicePlan.Status.TOWN_REVIEWED:
            plan = services.plan_approve(actor=bureau, plan=plan)
    ctx.lines.append(f"  plan {package.title}: {plan.get_status_display()} v{plan.version}, {plan.items.count()} items")

    communities = list(package.town.communities.order_by("code")[:2])
    venues = [
        (
            town_user,
            None,
            "双塔街道社会工作服务站",
            "苏州市姑苏区双塔街道十全街1号",
            Decimal("180"),
            "活动室2间、会议室1间、投影仪、桌椅40套",
        ),
    ]
    for community in communities:
        actor = ctx.users["community"] if ctx.organisations["committee"].community_id == community.pk else town_user
        venues.append(
            (
                actor,
                community,
                f"{community.name}睦邻中心",
                f"{community.name}党群服务中心一楼",
                Decimal("90"),
                "多功能活动室、书架、茶水间",
            )
        )
    for actor, community, name, address, area, equipment in venues:
        if not Venue.objects.filter(package=package, community=community, name=name).exists():
            services.venue_create(
                actor=actor,
                package=package,
                community=community,
                name=name,
                address=address,
                area_m2=area,
                equipment=equipment,
            )
    ctx.lines.append(f"  venues of {package.title}: {package.venues.count()}")


# --- monthly reports (S1–S4) and focus issues (S5) -----------------------------------------------

# (community index, kind, title, description, final state, resolution, days ago reported, days to resolve)
DEMO_FOCUS_ISSUES = [
    (0, "group_rental", "南园新村12幢群租房扰民", "同一套房住了十余人，夜间噪音大，楼道堆物严重。", "resolved",
     "联合房东、租户召开三方协商会，房东按规定整改并签订承诺书，租住人数恢复正常。", 200, 45),
    (1, "green_farming", "滚绣坊小区绿地被种菜", "居民在公共绿地开垦种菜，破坏绿化并引发邻里争执。", "resolved",
     "组织居民议事会，开辟“共享小菜园”统一管理，绿地恢复。", 160, 30),
    (2, "high_throw", "锦帆路小区高空抛物", "多次发生高空抛物，居民担心安全。", "resolved",
     "开展安全宣传并加装监控，楼栋长轮值巡查，近两月未再发生。", 120, 40),
    (0, "stairwell_safety", "南园社区楼道电瓶车充电隐患", "部分楼道有居民私拉电线为电瓶车充电。", "in_progress",
     "", 50, 0),
    (3, "pet_nuisance", "竹辉新村宠物扰民", "犬只夜间吠叫、随地便溺，居民投诉较多。", "reported", "", 12, 0),
    (4, "no_property_management", "沧浪新城老旧小区无物业管理", "小区无物业，垃圾清运和设施维修无人负责。", "escalated",
     "", 80, 0),
]  # fmt: skip


def _demo_report_values(item, package, year: int, month: int) -> dict:
    """Plausible monthly output for a plan item: the month's share of the annual target at the item's pace
    (on pace for most items, behind for every fifth one, so the progress page shows lagging items)."""
    from .progress import measure_of

    pace = 0.45 if item.pk % 5 == 0 else 0.97 + (item.pk % 3) * 0.04
    k = ((year * 12 + month) - (package.starts_on.year * 12 + package.starts_on.month)) % 12 + 1

    def cumulative(n: int) -> int:
        return round(item.annual_target * n / 12 * pace)

    monthly = cumulative(k) - cumulative(k - 1)
    measure = measure_of(item)
    sessions = monthly if measure == "sessions" else max(1, monthly // 15)
    attendances = monthly if measure == "attendances" else sessions * 12
    households = monthly if measure == "households" else attendances // 4
    return {
        "sessions": sessions,
        "attendances": attendances,
        "households": households,
        "volunteer_hours": f"{sessions * 1.5:.1f}",
        "narrative": f"本月开展“{item.display_name}”服务{sessions}次。",
    }


def _workflow_dates(due: datetime.date, year: int, month: int) -> tuple[datetime.datetime, datetime.datetime]:
    """When a demo report of the month was submitted and confirmed: on the 5th and the 8th of the month the
    report is due in, or — when those lie ahead — at a third and two thirds of the time from the month's end
    to now, so no date is in the future and confirmation follows submission."""
    now = timezone.now()
    month_end = local_datetime(year + month // 12, month % 12 + 1, 1, 0)
    span = now - month_end
    submitted = min(local_datetime(due.year, due.month, 5), month_end + span / 3)
    confirmed = min(local_datetime(due.year, due.month, 8, 15), month_end + span * 2 / 3)
    return submitted, confirmed


def _demo_photo(*, seed: int, quality: int = 85) -> bytes:
    """A photo-like JPEG (coloured shapes over a shaded background) drawn from `seed`."""
    import io
    import random

    from PIL import Image, ImageDraw

    rnd = random.Random(seed)
    size = (640, 480)
    image = Image.new("RGB", size, tuple(rnd.randrange(256) for _ in range(3)))
    draw = ImageDraw.Draw(image)
    for _ in range(25):
        x0, y0 = rnd.randrange(size[0]), rnd.randrange(size[1])
        box = [x0, y0, x0 + rnd.randrange(40, 300), y0 + rnd.randrange(40, 250)]
        colour = tuple(rnd.randrange(256) for _ in range(3))
        (draw.rectangle if rnd.random() < 0.5 else draw.ellipse)(box, fill=colour)
    image = Image.blend(image, Image.linear_gradient("L").resize(size).convert("RGB"), 0.15)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=quality)
    return buffer.getvalue()


@register(order=60)
def seed_reports(ctx: DemoContext) -> None:
    """Confirmed monthly reports for every month before the current one (within the period) of 双塔街道's
    active package, each with a PDF sign-in sheet, written through the report services; and six focus issues
    in its communities in every state, three resolved. Safe to run twice: existing months and issues stay."""
    from django.core.files.base import ContentFile

    from delivery.models import FocusIssue, FocusIssueEvent, ServiceReport
    from procurement.models import ServicePackage

    from .progress import approved_plan
    from .services import focus as focus_services
    from .services import reports as services
    from .workflow import month_bounds, report_due_date

    package = (
        ServicePackage.objects.filter(town=ctx.town, status=ServicePackage.Status.ACTIVE)
        .select_related("town", "agency__organisation", "round", "edition")
        .first()
    )
    if package is None or approved_plan(package) is None:
        ctx.lines.append(f"  reports: no active package with an approved plan for {ctx.town.name} yet, skipped")
        return
    worker, town_user = ctx.users["worker"], ctx.users["town"]
    today = timezone.localdate()
    # Every month from the package's start up to last month, so the demo has no overdue report.
    months = []
    year, month = today.year, today.month
    while True:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        first, last = month_bounds(year, month)
        if last < package.starts_on:
            break
        if first <= package.ends_on:
            months.append((year, month))
    # K9's demo: the activity photo of three months ago is filed again unchanged two months ago and re-saved
    # (a near-identical photo) last month — the compliance sweep turns both into recycled-evidence findings.
    photos = {}
    if len(months) >= 3:
        original = _demo_photo(seed=2024)
        photos = {
            months[2]: original,
            months[1]: original,
            months[0]: _demo_photo(seed=2024, quality=60),
        }
    created = 0
    for year, month in reversed(months):
        if ServiceReport.objects.filter(package=package, year=year, month=month).exists():
            continue
        report = services.report_create(actor=worker, package=package, year=year, month=month)
        lines = {
            line.plan_item_id: _demo_report_values(line.plan_item, package, year, month)
            for line in report.lines.select_related("plan_item__item")
        }
        report = services.report_save_draft(
            actor=worker,
            report=report,
            summary=f"{year}年{month}月，各社区按计划开展服务，重点推进焦点问题治理和居民骨干培育。",
            lines=lines,
        )
        services.report_attach(
            actor=worker,
            report=report,
            file=ContentFile(tiny_pdf(f"Sign-in sheet {year}-{month:02d}"), name=f"签到表-{year}-{month:02d}.pdf"),
        )
        if (year, month) in photos:
            services.report_attach(
                actor=worker,
                report=report,
                file=ContentFile(photos[(year, month)], name=f"活动照片-{year}-{month:02d}.jpg"),
            )
        services.report_submit(actor=worker, report=report)
        services.report_confirm(actor=town_user, report=report)
        # Date the workflow as it would have happened — submitted on the 5th, confirmed on the 8th of the next
        # month — but never after now: last month's report, seeded on the 2nd, was submitted and confirmed
        # between the month's end and now.
        submitted_at, confirmed_at = _workflow_dates(report_due_date(package, year, month), year, month)
        ServiceReport.objects.filter(pk=report.pk).update(submitted_at=submitted_at, confirmed_at=confirmed_at)
        created += 1
    ctx.lines.append(f"  reports {package.title}: {created} confirmed monthly reports added ({len(months)} months)")

    communities = list(package.town.communities.order_by("code"))
    committee = ctx.organisations["committee"]
    added = 0
    for index, kind, title, description, state, resolution, days_ago, days_to_resolve in DEMO_FOCUS_ISSUES:
        community = communities[index % len(communities)]
        if FocusIssue.objects.filter(community=community, title=title).exists():
            continue
        reporter = ctx.users["community"] if committee.community_id == community.pk else worker
        issue = focus_services.focus_issue_report(
            actor=reporter, community=community, package=package, kind=kind, title=title, description=description
        )
        reported_at = timezone.now() - datetime.timedelta(days=days_ago)
        FocusIssue.objects.filter(pk=issue.pk).update(reported_at=reported_at)
        issue.refresh_from_db()
        steps = {
            "reported": [],
            "in_progress": [("in_progress", "社工已入户了解情况，制定处置方案。")],
            "resolved": [("in_progress", "社工已入户了解情况，制定处置方案。"), ("resolved", "问题已解决。")],
            "escalated": [("escalated", "涉及房屋产权与物业引入，需街道和住建部门协调，已上报。")],
        }[state]
        for to_status, note in steps:
            issue = focus_services.focus_issue_move(
                actor=town_user if to_status == "escalated" else worker,
                issue=issue,
                to_status=to_status,
                note=note,
                resolution=resolution if to_status == "resolved" else None,
                resolved_on=timezone.localdate(reported_at + datetime.timedelta(days=days_to_resolve))
                if to_status == "resolved"
                else None,
            )
        # Spread the timeline between the report and the resolution.
        for step, event in enumerate(issue.events.order_by("pk")):
            FocusIssueEvent.objects.filter(pk=event.pk).update(
                at=reported_at + datetime.timedelta(days=step * max(1, days_to_resolve // 2))
            )
        added += 1
    ctx.lines.append(f"  focus issues of {package.town.name}: {added} added")

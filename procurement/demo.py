"""Procurement demo data for seed_demo (see directory/demo.py)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from core.demo import DemoContext, register
from directory.validators import resident_id_check_char

from .models import Agency, Certificate, QualificationApplication, StaffMember
from .services.agencies import roster_snapshot_xlsx
from .services.rounds import rounds_load_shipped


@register(order=20)
def seed_rounds(ctx: DemoContext) -> None:
    for round_ in rounds_load_shipped():
        ctx.lines.append(f"  round {round_.code}: ≥{round_.min_full_time_staff} full-time staff")


def tiny_pdf(text: str) -> bytes:
    """A one-page, valid PDF showing an ASCII line: demo stand-in for scanned documents."""
    stream = f"BT /F1 12 Tf 20 50 Td ({text}) Tj ET".encode("ascii")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 100] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = b"%PDF-1.4\n"
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return out


# organisation key → (registration authority, full-time staff, of whom certified). "agency_3" has too few
# full-time staff for the 2018 round's nine (Q2), so the demo shows a failing team too.
DEMO_AGENCIES = [
    ("agency", "苏州市姑苏区民政局", 11, 6),
    ("agency_2", "苏州市民政局", 11, 6),
    ("agency_3", "苏州市姑苏区民政局", 6, 3),
]
DEMO_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗"
DEMO_GIVEN_NAMES = ["静", "敏", "磊", "洁", "婷", "强", "芳", "军", "勇", "艳", "杰", "娟"]


def demo_resident_id(agency_index: int, person: int) -> str:
    first17 = f"320508{1980 + person:04d}{person % 12 + 1:02d}{person % 28 + 1:02d}{agency_index}{person:02d}"
    return first17 + resident_id_check_char(first17)


@register(order=30)
def seed_agencies(ctx: DemoContext) -> None:
    """Agency profiles, rosters with certificates (one expiring in 30 days: a Q5 warning) and approved
    qualifications for the three demo agencies. Safe to run twice: rows are matched and updated."""
    today = timezone.localdate()
    bureau = ctx.users["bureau"]
    for index, (key, authority, full_time, certified) in enumerate(DEMO_AGENCIES, start=1):
        organisation = ctx.organisations[key]
        agency, _created = Agency.objects.update_or_create(
            organisation=organisation,
            defaults={
                "registration_authority": authority,
                "registration_authority_level": Agency.AuthorityLevel.CITY
                if authority.startswith("苏州市民政局")
                else Agency.AuthorityLevel.COUNTY,
                "registration_number": f"苏民证字第{3205000 + index}号",
                "registered_on": datetime.date(2013 + index, 3, 1),
                "registration_valid_until": today + datetime.timedelta(days=3 * 365),
                "legal_representative": organisation.contact_name,
                "email": f"office{index}@demo.suzhou-sw.local",
            },
        )
        for person in range(full_time):
            staff, _created = StaffMember.objects.update_or_create(
                agency=agency,
                resident_id=demo_resident_id(index, person),
                defaults={
                    "name": DEMO_SURNAMES[(index * 7 + person) % len(DEMO_SURNAMES)]
                    + DEMO_GIVEN_NAMES[person % len(DEMO_GIVEN_NAMES)],
                    "phone": f"139{index:02d}{person:06d}",
                    "is_full_time": True,
                    "employed_from": datetime.date(2018, 1 + person % 12, 1),
                    "employed_until": None,
                },
            )
            if person >= certified:
                continue
            expiring = index == 1 and person == 0
            Certificate.objects.update_or_create(
                number=f"DEMO{index}{person:05d}",
                defaults={
                    "staff": staff,
                    "level": [Certificate.Level.INTERMEDIATE, Certificate.Level.SENIOR][person]
                    if person < 2
                    else Certificate.Level.ASSISTANT,
                    "issued_on": datetime.date(2019, 6, 1),
                    "expires_on": today + datetime.timedelta(days=30 if expiring else 3 * 365),
                },
            )
        if not agency.qualifications.filter(status=QualificationApplication.Status.APPROVED).exists():
            application = QualificationApplication(
                agency=agency,
                status=QualificationApplication.Status.APPROVED,
                note="平台上线前已审核的承接资格。",
                submitted_by=ctx.users["agency"] if key == "agency" else bureau,
                decided_by=bureau,
                decided_at=timezone.now(),
                reason="登记证书、审计报告齐全，专职人员和持证社工符合要求，同意承接。",
                valid_from=today - datetime.timedelta(days=180),
                valid_until=today + datetime.timedelta(days=2 * 365 - 180),
            )
            application.registration_certificate.save(
                f"registration-{agency.pk}.pdf", ContentFile(tiny_pdf("Registration certificate")), save=False
            )
            application.audit_report.save(f"audit-{agency.pk}.pdf", ContentFile(tiny_pdf("Audit report")), save=False)
            application.roster_file.save(
                f"roster-{agency.pk}-{today:%Y%m%d}.xlsx", ContentFile(roster_snapshot_xlsx(agency=agency)), save=False
            )
            application.save()
        ctx.lines.append(f"  agency {organisation.name}: {full_time} full-time staff, {certified} certified")


# --- tenders (T1–T6) ------------------------------------------------------------------------------

DEMO_EXPERTS = [
    # username, full name, title, affiliation key (None: independent)
    ("expert2", "冯评审", "教授", None),
    ("expert3", "褚评审", "高级社会工作师", None),
    # Affiliated with the 双塔 bidder: the draw excludes him and records why (T3).
    ("expert4", "韩顾问", "督导", "agency"),
]
DEMO_MANAGERS = [("agency2", "agency_2", "林主任"), ("agency3", "agency_3", "何主任")]
SHUANGTA_TITLE = "双塔街道社会工作服务项目（2025—2026年度）"
PINGJIANG_TITLE = "平江街道社会工作服务项目（2027—2028年度）"


def _demo_user(ctx: DemoContext, username: str, full_name: str, role: str, organisation):
    from directory.demo import DEMO_PASSWORD
    from directory.models import Membership, User

    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, email=f"{username}@demo.suzhou-sw.local")
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
    Membership.objects.get_or_create(user=user, organisation=organisation, role=role)
    ctx.users[username] = user
    return user


def _demo_team(agency, size: int = 9) -> list[int]:
    """The certified full-time staff first, then the others: a team that passes Q3 when the roster allows."""
    staff = list(agency.staff.filter(is_full_time=True, employed_until__isnull=True).prefetch_related("certificates"))
    staff.sort(key=lambda s: (not s.certificates.all(), s.resident_id))
    return [s.pk for s in staff[:size]]


def _local(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime(year, month, day, hour, 0))


@register(order=40)
def seed_tenders(ctx: DemoContext) -> None:
    """An awarded and contracted tender for 双塔街道 (ctx.town) won by the demo agency, scored by three drawn
    experts including the demo expert, whose package runs 2025-01-01 to 2026-12-31; and a published tender
    for 平江街道 with sealed bids from agency_2 and agency_3 (whose team is too small: disqualified at
    evaluation). Safe to run twice: each tender is created only once."""
    import random
    from decimal import Decimal

    from directory.models import Role, Town

    from .models import Bid, Expert, QualificationApplication, Round, Tender
    from .services import tenders as services

    bureau = ctx.users["bureau"]
    round_ = Round.objects.get(code="2018-new-round")
    experts = [Expert.objects.get_or_create(user=ctx.users["expert"], defaults={"category": "public_welfare"})[0]]
    for username, full_name, title, org_key in DEMO_EXPERTS:
        user = _demo_user(ctx, username, full_name, Role.EXPERT, ctx.organisations["city_bureau"])
        affiliation = ctx.organisations[org_key] if org_key else None
        expert, _created = Expert.objects.get_or_create(
            user=user, defaults={"category": "public_welfare", "title": title, "affiliation": affiliation}
        )
        experts.append(expert)
    for username, org_key, full_name in DEMO_MANAGERS:
        _demo_user(ctx, username, full_name, Role.AGENCY_MANAGER, ctx.organisations[org_key])
    agencies = {
        key: Agency.objects.get(organisation=ctx.organisations[key]) for key in ("agency", "agency_2", "agency_3")
    }

    if not Tender.objects.filter(town=ctx.town, title=SHUANGTA_TITLE).exists():
        deadline = _local(2024, 11, 20)
        # The 2024 tender predates the agencies' current qualification (valid from half a year ago): record
        # the approved qualification they held then, so Q1 holds on the 2024 deadline and the 2025 start.
        for key in ("agency", "agency_2"):
            agency = agencies[key]
            if not agency.qualifications.filter(
                status=QualificationApplication.Status.APPROVED,
                valid_from__lte=datetime.date(2024, 11, 1),
                valid_until__gte=datetime.date(2025, 1, 1),
            ).exists():
                earlier = QualificationApplication(
                    agency=agency,
                    status=QualificationApplication.Status.APPROVED,
                    note="上一期承接资格（平台上线前审核）。",
                    submitted_by=bureau,
                    decided_by=bureau,
                    decided_at=_local(2024, 1, 5),
                    reason="登记证书、审计报告齐全，同意承接。",
                    valid_from=datetime.date(2024, 1, 1),
                    valid_until=timezone.localdate() - datetime.timedelta(days=181),
                )
                earlier.registration_certificate.save(
                    f"registration-{agency.pk}-2024.pdf", ContentFile(tiny_pdf("Registration 2024")), save=False
                )
                earlier.audit_report.save(
                    f"audit-{agency.pk}-2024.pdf", ContentFile(tiny_pdf("Audit 2024")), save=False
                )
                earlier.save()
        tender = services.tender_create(
            actor=bureau,
            round=round_,
            town=ctx.town,
            title=SHUANGTA_TITLE,
            description="覆盖双塔街道全部社区的综合服务：基础服务、需求调研、自治增能与焦点治理。",
            service_starts_on=datetime.date(2025, 1, 1),
            bid_deadline=deadline,
        )
        # The services refuse past deadlines (publishing, bidding), so the 2024 history is written directly:
        # published a month before the deadline, two bids submitted before it.
        Tender.objects.filter(pk=tender.pk).update(status=Tender.Status.PUBLISHED, published_at=_local(2024, 10, 20))
        tender.refresh_from_db()
        for key, price, day in (("agency", "960000.00", 15), ("agency_2", "985000.00", 18)):
            bid = Bid.objects.create(
                tender=tender,
                agency=agencies[key],
                price=Decimal(price),
                proposal="以社区需求调研为起点，建立“街道统筹、社区落地、社工驻点”的服务体系，覆盖全部社区。",
                submitted_by=ctx.users["agency"] if key == "agency" else ctx.users["agency2"],
                submitted_at=_local(2024, 11, day),
            )
            bid.team.set(_demo_team(agencies[key]))
        services.tender_close_if_due(tender)
        # Find a seed whose draw seats the demo expert, then draw through the service with it.
        candidates, _exclusions = services._draw_pool(tender, skip=set())
        seed = next(
            f"demo-{n}"
            for n in range(1000)
            if experts[0].pk in random.Random(f"demo-{n}").sample(candidates, tender.expert_count)
        )
        draw = services.experts_draw(actor=bureau, tender=tender, seed=seed)
        type(draw).objects.filter(pk=draw.pk).update(drawn_at=_local(2024, 11, 20, 14))
        sheets = {"agency": ("92", "88", "90", "86"), "agency_2": ("85", "82", "80", "84")}
        for member in tender.panel.select_related("expert__user"):
            services.panel_declare(actor=member.expert.user, tender=tender, has_conflict=False)
            for bid in tender.bids.select_related("agency"):
                price, proposal, team_score, past = sheets["agency" if bid.agency == agencies["agency"] else "agency_2"]
                services.bid_score_submit(
                    actor=member.expert.user,
                    bid=bid,
                    price_score=price,
                    proposal_score=proposal,
                    team_score=team_score,
                    past_score=past,
                    comment="方案完整，团队稳定。",
                )
        contract = services.tender_award(actor=bureau, tender=tender, staff_cost_share=Decimal("60"))
        # Award happened in December 2024: date the award and number the contract accordingly.
        Tender.objects.filter(pk=tender.pk).update(awarded_at=_local(2024, 12, 2))
        type(contract).objects.filter(pk=contract.pk).update(number=services.contract_number(tender, 2024))
        tender.refresh_from_db()
        services.tender_mark_contracted(actor=bureau, tender=tender, signed_on=datetime.date(2024, 12, 16))
        ctx.lines.append(f"  tender {tender.title}: awarded to {agencies['agency']}, package 2025-01-01..2026-12-31")

    pingjiang = Town.objects.get(district=ctx.district, name="平江街道")
    if not Tender.objects.filter(town=pingjiang, title=PINGJIANG_TITLE).exists():
        today = timezone.localdate()
        tender = services.tender_create(
            actor=bureau,
            round=round_,
            town=pingjiang,
            title=PINGJIANG_TITLE,
            description="平江街道综合包：历史街区居民服务、睦邻空间、群租房与楼道安全隐患等焦点问题治理。",
            service_starts_on=today + datetime.timedelta(days=60),
            bid_deadline=timezone.now() + datetime.timedelta(days=14),
        )
        services.tender_publish(actor=bureau, tender=tender)
        for key, username, price in (("agency_2", "agency2", "975000.00"), ("agency_3", "agency3", "930000.00")):
            services.bid_submit(
                actor=ctx.users[username],
                tender=tender,
                agency=agencies[key],
                price=Decimal(price),
                proposal="围绕平江历史街区特点，开展为老服务、儿童四点半课堂和楼道安全隐患治理。",
                team_ids=_demo_team(agencies[key]),
            )
        ctx.lines.append(f"  tender {tender.title}: published, 2 sealed bids")


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

    from .models import PlanItem, ServicePackage, ServicePlan, Venue
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
                        plan=plan,
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
            "180",
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
                "90",
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


@register(order=55)
def seed_cosign(ctx: DemoContext) -> None:
    """The district officer has co-signed (会签) 双塔街道's active package; any other active package of the
    district waits on the district officer's home page. Safe to run twice."""
    from .models import ServicePackage
    from .services.packages import package_cosign

    package = ServicePackage.objects.filter(town=ctx.town, status=ServicePackage.Status.ACTIVE).first()
    if package is None or package.cosigned_at is not None:
        return
    package_cosign(actor=ctx.users["district"], package=package, comment="同意。服务内容与本区社区治理重点一致。")
    ctx.lines.append(f"  package: {package} co-signed by the district")


@register(order=60)
def seed_reports(ctx: DemoContext) -> None:
    """Confirmed monthly reports for every month before the current one (within the period) of 双塔街道's
    active package, each with a PDF sign-in sheet, written through the report services; and six focus issues
    in its communities in every state, three resolved. Safe to run twice: existing months and issues stay."""
    from django.core.files.base import ContentFile

    from .models import FocusIssue, FocusIssueEvent, ServicePackage, ServiceReport
    from .progress import approved_plan
    from .services import focus as focus_services
    from .services import reports as services

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
        first, last = services.month_bounds(year, month)
        if last < package.starts_on:
            break
        if first <= package.ends_on:
            months.append((year, month))
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
        services.report_submit(actor=worker, report=report)
        services.report_confirm(actor=town_user, report=report)
        # Date the workflow as it would have happened: submitted on the 5th, confirmed on the 8th of next month.
        due = services.report_due_date(package, year, month)
        ServiceReport.objects.filter(pk=report.pk).update(
            submitted_at=_local(due.year, due.month, 5), confirmed_at=_local(due.year, due.month, 8, 15)
        )
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

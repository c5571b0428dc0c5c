"""Procurement demo data for seed_demo (see directory/demo.py)."""

import datetime

from django.core.files.base import ContentFile
from django.utils import timezone

from core.demo import DemoContext, register
from directory.validators import resident_id_check_char
from procurement.models import Agency, Certificate, QualificationApplication, StaffMember

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


def local_datetime(year: int, month: int, day: int, hour: int = 10) -> datetime.datetime:
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
    from procurement.models import Bid, Expert, QualificationApplication, Round, Tender

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
        deadline = local_datetime(2024, 11, 20)
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
                    decided_at=local_datetime(2024, 1, 5),
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
        Tender.objects.filter(pk=tender.pk).update(
            status=Tender.Status.PUBLISHED, published_at=local_datetime(2024, 10, 20)
        )
        tender.refresh_from_db()
        for key, price, day in (("agency", "960000.00", 15), ("agency_2", "985000.00", 18)):
            bid = Bid.objects.create(
                tender=tender,
                agency=agencies[key],
                price=Decimal(price),
                proposal="以社区需求调研为起点，建立“街道统筹、社区落地、社工驻点”的服务体系，覆盖全部社区。",
                submitted_by=ctx.users["agency"] if key == "agency" else ctx.users["agency2"],
                submitted_at=local_datetime(2024, 11, day),
            )
            bid.team.set(_demo_team(agencies[key]))
        services.tender_close_if_due(tender)
        # Find a seed whose draw seats the demo expert, then draw through the service with it.
        candidates, _exclusions = services.expert_pool(tender, skip=set())
        seed = next(
            f"demo-{n}"
            for n in range(1000)
            if experts[0].pk in random.Random(f"demo-{n}").sample(candidates, tender.expert_count)
        )
        draw = services.experts_draw(actor=bureau, tender=tender, seed=seed)
        type(draw).objects.filter(pk=draw.pk).update(drawn_at=local_datetime(2024, 11, 20, 14))
        sheets = {"agency": ("92", "88", "90", "86"), "agency_2": ("85", "82", "80", "84")}
        for member in tender.panel.select_related("expert__user"):
            services.panel_declare(actor=member.expert.user, tender=tender, has_conflict=False)
            for bid in tender.bids.select_related("agency"):
                price, proposal, team_score, past = sheets["agency" if bid.agency == agencies["agency"] else "agency_2"]
                services.bid_score_submit(
                    actor=member.expert.user,
                    bid=bid,
                    price_score=Decimal(price),
                    proposal_score=Decimal(proposal),
                    team_score=Decimal(team_score),
                    past_score=Decimal(past),
                    comment="方案完整，团队稳定。",
                )
        contract = services.tender_award(actor=bureau, tender=tender, staff_cost_share=Decimal("60"))
        # Award happened in December 2024: date the award and number the contract accordingly.
        Tender.objects.filter(pk=tender.pk).update(awarded_at=local_datetime(2024, 12, 2))
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


@register(order=55)
def seed_cosign(ctx: DemoContext) -> None:
    """The district officer has co-signed (会签) 双塔街道's active package; any other active package of the
    district waits on the district officer's home page. Safe to run twice."""
    from procurement.models import ServicePackage

    from .services.packages import package_cosign

    package = ServicePackage.objects.filter(town=ctx.town, status=ServicePackage.Status.ACTIVE).first()
    if package is None or package.cosigned_at is not None:
        return
    package_cosign(actor=ctx.users["district"], package=package, comment="同意。服务内容与本区社区治理重点一致。")
    ctx.lines.append(f"  package: {package} co-signed by the district")

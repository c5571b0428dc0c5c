"""Synthetic data for the benchmarks: `generate(scale)` builds a city of `scale` towns with communities,
agencies with rosters, tenders with bids and packages. Bulk inserts; deterministic for a given scale."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from catalog.services import load_shipped_editions
from directory.demo import demo_uscc
from directory.models import City, Community, District, Membership, Organisation, Role, Town, User
from directory.validators import resident_id_check_char
from procurement.models import (
    Agency,
    Bid,
    Certificate,
    QualificationApplication,
    ServicePackage,
    StaffMember,
    Tender,
)
from procurement.services.rounds import rounds_load_shipped


def _rid(n: int) -> str:
    first17 = f"320508{1970 + n % 40}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def generate(scale: int) -> dict:
    """Create `scale` towns (6 communities each), `scale` agencies (12 staff each, 7 certified),
    `scale` tenders with 3 bids each, and one active package per town. Returns the users to log in as."""
    load_shipped_editions()
    round_ = next(r for r in rounds_load_shipped() if r.is_current)
    city, _ = City.objects.get_or_create(code="320500", defaults={"name": "苏州市"})
    district, _ = District.objects.get_or_create(code="329901", defaults={"city": city, "name": "基准区"})
    towns = Town.objects.bulk_create(
        [Town(district=district, code=f"B{i:08d}", name=f"基准街道{i}") for i in range(scale)]
    )
    Community.objects.bulk_create(
        [
            Community(town=t, code=f"B{t.code}{j:03d}", name=f"{t.name}社区{j}", kind="urban" if j % 3 else "village")
            for t in towns
            for j in range(6)
        ]
    )
    orgs = Organisation.objects.bulk_create(
        [Organisation(kind="agency", name=f"基准社工机构{i}", uscc=demo_uscc(800000 + i)) for i in range(scale)]
    )
    today = timezone.localdate()
    agencies = Agency.objects.bulk_create(
        [
            Agency(
                organisation=o,
                registration_authority="苏州市民政局",
                registration_authority_level="city",
                registered_on=datetime.date(2015, 1, 1),
                registration_valid_until=today + datetime.timedelta(days=900),
            )
            for o in orgs
        ]
    )
    bureau_org, _ = Organisation.objects.get_or_create(kind="bureau", name="基准民政局")
    admin, _ = User.objects.get_or_create(username="bench-bureau", defaults={"is_staff": True})
    Membership.objects.get_or_create(user=admin, organisation=bureau_org, role=Role.BUREAU_ADMIN)
    QualificationApplication.objects.bulk_create(
        [
            QualificationApplication(
                agency=a,
                status="approved",
                registration_certificate="bench/reg.pdf",
                audit_report="bench/audit.pdf",
                submitted_by=admin,
                decided_by=admin,
                decided_at=timezone.now(),
                reason="基准数据",
                valid_from=today - datetime.timedelta(days=10),
                valid_until=today + datetime.timedelta(days=700),
            )
            for a in agencies
        ]
    )
    staff = StaffMember.objects.bulk_create(
        [
            StaffMember(
                agency=a, name=f"社工{i}-{j}", resident_id=_rid(i * 12 + j), employed_from=datetime.date(2020, 1, 1)
            )
            for i, a in enumerate(agencies)
            for j in range(12)
        ]
    )
    Certificate.objects.bulk_create(
        [
            Certificate(
                staff=s,
                level="assistant",
                number=f"BENCH{s.pk:08d}",
                issued_on=datetime.date(2020, 6, 1),
                expires_on=today + datetime.timedelta(days=800),
            )
            for k, s in enumerate(staff)
            if k % 12 < 7
        ]
    )
    tenders = Tender.objects.bulk_create(
        [
            Tender(
                round=round_,
                town=t,
                edition=round_.edition,
                title=f"{t.name}社会工作服务项目",
                annual_ceiling=Decimal("1000000"),
                period_years=2,
                service_starts_on=today + datetime.timedelta(days=30),
                min_full_time_staff=9,
                min_certified_share=Decimal("50"),
                weight_price=20,
                weight_proposal=40,
                weight_team=25,
                weight_past=15,
                bid_deadline=timezone.now() - datetime.timedelta(days=1),
                status="evaluation",
                published_at=timezone.now() - datetime.timedelta(days=30),
                created_by=admin,
            )
            for t in towns
        ]
    )
    Bid.objects.bulk_create(
        [
            Bid(
                tender=tender,
                agency=agencies[(i + k) % len(agencies)],
                price=Decimal("900000") + k * 10000,
                proposal="基准方案",
                submitted_by=admin,
                submitted_at=timezone.now() - datetime.timedelta(days=2, minutes=k),
            )
            for i, tender in enumerate(tenders)
            for k in range(min(3, len(agencies)))
        ]
    )
    ServicePackage.objects.bulk_create(
        [
            ServicePackage(
                town=t,
                agency=agencies[i],
                round=round_,
                edition=round_.edition,
                title=f"{t.name}项目包",
                starts_on=today - datetime.timedelta(days=200),
                ends_on=today + datetime.timedelta(days=500),
                annual_amount=Decimal("950000"),
                annual_ceiling=Decimal("1000000"),
                created_by=admin,
            )
            for i, t in enumerate(towns)
        ]
    )
    manager, _ = User.objects.get_or_create(username="bench-agency")
    Membership.objects.get_or_create(user=manager, organisation=orgs[0], role=Role.AGENCY_MANAGER)
    package = _delivery(scale, towns[0], admin, manager)
    return {"bureau_admin": admin, "agency_manager": manager, "agency": agencies[0], "package": package}


def _delivery(scale: int, town: Town, admin: User, author: User) -> ServicePackage:
    """The first town's package grows with the scale: an approved plan of 2 × scale items (up to the
    catalogue), `scale` confirmed monthly reports (up to 24) and 2 × scale focus issues."""
    from catalog.models import ServiceItem
    from delivery.models import FocusIssue, PlanItem, ReportLine, ServicePlan, ServiceReport

    package = ServicePackage.objects.get(town=town)
    communities = list(town.communities.all())
    plan = ServicePlan.objects.create(package=package, status="approved", version=1, approved_at=timezone.now())
    items = list(ServiceItem.objects.filter(edition=package.edition).order_by("code")[: min(2 * scale, 90)])
    plan_items = PlanItem.objects.bulk_create(
        [
            PlanItem(plan=plan, item=item, community=communities[k % len(communities)], annual_target=50)
            for k, item in enumerate(items)
        ]
    )
    reports = []
    start = package.starts_on
    for k in range(min(scale, 24)):
        month_index = start.month - 1 + k
        year, month = start.year + month_index // 12, month_index % 12 + 1
        reports.append(
            ServiceReport(
                package=package,
                year=year,
                month=month,
                status="confirmed",
                summary="基准月报",
                created_by=author,
                confirmed_by=admin,
                submitted_at=timezone.now(),
                confirmed_at=timezone.now(),
            )
        )
    reports = ServiceReport.objects.bulk_create(reports)
    ReportLine.objects.bulk_create(
        [
            ReportLine(report=r, plan_item=pi, sessions=2, attendances=30, households=3)
            for r in reports
            for pi in plan_items
        ]
    )
    FocusIssue.objects.bulk_create(
        [
            FocusIssue(
                community=communities[k % len(communities)],
                package=package,
                kind="sanitation",
                title=f"基准焦点问题{k}",
                description="基准",
                reported_by=author,
            )
            for k in range(2 * scale)
        ]
    )
    return package

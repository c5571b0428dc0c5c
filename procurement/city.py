"""City-scale agencies, staff, tenders, contracts and packages for `manage.py seed_city` (core.city).

At scale S: 113 × S qualified agencies with 1,800 × S staff (60 % certified), and one package per town (100 × S),
each won through a contracted tender with three bids. Packages run three years from the first day of the month
24 months before the load, so two years of monthly reports lie behind them. Users: `city-agency-<n>` (the
agency's manager) and `city-worker-<n>`, n from 0."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from core.city import CityContext, bulk, explicit_timestamps, register
from directory.city import place_name
from directory.demo import demo_uscc
from directory.models import Membership, Organisation, Role, User
from directory.validators import resident_id_check_char

from .models import (
    Agency,
    Bid,
    Certificate,
    Contract,
    QualificationApplication,
    ServicePackage,
    StaffAssignment,
    StaffMember,
    Tender,
)
from .services.rounds import rounds_load_shipped

AGENCIES_PER_SCALE = 113
STAFF_PER_SCALE = 1800
STAFF_PER_PACKAGE = 9
PACKAGE_YEARS = 3


def _rid(n: int) -> str:
    first17 = f"3205{n % 90 + 10:02d}{1965 + n % 40}{(n % 12) + 1:02d}{(n % 28) + 1:02d}{n % 1000:03d}"
    return first17 + resident_id_check_char(first17)


def month_start(day: datetime.date, months_back: int) -> datetime.date:
    index = day.year * 12 + day.month - 1 - months_back
    return datetime.date(index // 12, index % 12 + 1, 1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


@register(order=30)
def seed_city_procurement(ctx: CityContext) -> None:
    rnd, today = ctx.rnd, ctx.today
    round_ = next(r for r in rounds_load_shipped() if r.is_current)
    bureau = ctx.users["city-bureau"]
    towns = ctx.rows["towns"]

    n_agencies = ctx.scaled(AGENCIES_PER_SCALE, at_least=3)
    used: set[str] = set()
    orgs = bulk(
        Organisation,
        [
            Organisation(
                kind=Organisation.Kind.AGENCY,
                name=place_name(rnd, used, "社会工作服务中心"),
                uscc=demo_uscc(500000 + i),
                address="苏州市",
                contact_name="负责人",
                contact_phone=f"0512-6{i:07d}",
            )
            for i in range(n_agencies)
        ],
    )
    agencies = bulk(
        Agency,
        [
            Agency(
                organisation=o,
                registration_authority="苏州市民政局",
                registration_authority_level=rnd.choice(["county", "city"]),
                registration_number=f"苏民证字第{i:06d}号",
                registered_on=datetime.date(2010 + i % 12, 1 + i % 12, 1 + i % 28),
                registration_valid_until=today + datetime.timedelta(days=400 + rnd.randrange(1500)),
                legal_representative="法定代表人",
            )
            for i, o in enumerate(orgs)
        ],
    )
    ctx.rows["agencies"] = agencies
    ctx.rows["agency_index"] = {a.pk: i for i, a in enumerate(agencies)}
    with explicit_timestamps((QualificationApplication, "submitted_at")):
        bulk(
            QualificationApplication,
            [
                QualificationApplication(
                    agency=a,
                    status="approved",
                    registration_certificate="city/registration.pdf",
                    audit_report="city/audit.pdf",
                    submitted_by=bureau,
                    submitted_at=at(today - datetime.timedelta(days=900)),
                    decided_by=bureau,
                    decided_at=at(today - datetime.timedelta(days=890)),
                    reason="材料齐全，符合资格条件。",
                    valid_from=today - datetime.timedelta(days=890),
                    valid_until=today + datetime.timedelta(days=400 + rnd.randrange(800)),
                )
                for a in agencies
            ],
        )

    users = []
    for i in range(n_agencies):
        users.append(User(username=f"city-agency-{i}", full_name=f"机构负责人{i}", password=ctx.password_hash))
        users.append(User(username=f"city-worker-{i}", full_name=f"机构社工{i}", password=ctx.password_hash))
    users = bulk(User, users)
    ctx.users.update({u.username: u for u in users})
    bulk(
        Membership,
        [
            Membership(
                user=u,
                organisation=orgs[int(u.username.rsplit("-", 1)[1])],
                role=Role.AGENCY_MANAGER if u.username.startswith("city-agency-") else Role.AGENCY_WORKER,
            )
            for u in users
        ],
    )

    n_staff = ctx.scaled(STAFF_PER_SCALE)
    staff = []
    for k in range(n_staff):
        agency = agencies[k % n_agencies]
        staff.append(
            StaffMember(
                agency=agency,
                name=f"社工{k}",
                resident_id=_rid(k),
                phone=f"139{k:08d}",
                is_full_time=rnd.random() < 0.9,
                employed_from=today - datetime.timedelta(days=200 + rnd.randrange(2500)),
            )
        )
    staff = bulk(StaffMember, staff)
    certificates = [
        Certificate(
            staff=s,
            level=rnd.choice(["assistant", "assistant", "intermediate", "senior"]),
            number=f"CITY{k:08d}",
            issued_on=today - datetime.timedelta(days=300 + rnd.randrange(2000)),
            expires_on=today + datetime.timedelta(days=100 + rnd.randrange(1500)),
        )
        for k, s in enumerate(staff)
        if rnd.random() < 0.6
    ]
    bulk(Certificate, certificates)
    staff_by_agency: dict[int, list[StaffMember]] = {}
    for s in staff:
        staff_by_agency.setdefault(s.agency_id, []).append(s)

    starts_on = month_start(today, 24)
    ends_on = datetime.date(starts_on.year + PACKAGE_YEARS, starts_on.month, 1) - datetime.timedelta(days=1)
    published = starts_on - datetime.timedelta(days=90)
    with explicit_timestamps((Tender, "created_at")):
        tenders = bulk(
            Tender,
            [
                Tender(
                    round=round_,
                    town=t,
                    edition=round_.edition,
                    title=f"{t.name}社会工作服务项目",
                    description="街镇综合包：基础服务、需求调研、自治增能与焦点治理。",
                    annual_ceiling=Decimal("1000000"),
                    period_years=PACKAGE_YEARS,
                    service_starts_on=starts_on,
                    min_full_time_staff=round_.min_full_time_staff,
                    min_certified_share=round_.min_certified_share,
                    weight_price=round_.weight_price,
                    weight_proposal=round_.weight_proposal,
                    weight_team=round_.weight_team,
                    weight_past=round_.weight_past,
                    bid_deadline=at(published + datetime.timedelta(days=30)),
                    status="contracted",
                    published_at=at(published),
                    awarded_at=at(published + datetime.timedelta(days=45)),
                    created_by=bureau,
                    created_at=at(published - datetime.timedelta(days=5)),
                )
                for t in towns
            ],
        )
    bids = []
    for i, tender in enumerate(tenders):
        for k in range(3):
            bids.append(
                Bid(
                    tender=tender,
                    agency=agencies[(i + k) % n_agencies],
                    price=Decimal(900000 + rnd.randrange(0, 100) * 1000),
                    proposal="服务方案：以需求调研为起点，建立社区服务清单。",
                    submitted_by=ctx.users[f"city-agency-{(i + k) % n_agencies}"],
                    submitted_at=at(published + datetime.timedelta(days=10 + k)),
                    checked_at=at(published + datetime.timedelta(days=31)),
                )
            )
    bids = bulk(Bid, bids)
    winners = bids[0::3]
    contracts = bulk(
        Contract,
        [
            Contract(
                tender=tender,
                bid=bid,
                agency_id=bid.agency_id,
                number=f"SZSW-{starts_on.year}-{i:05d}",
                signed_on=starts_on - datetime.timedelta(days=10),
                value=bid.price * PACKAGE_YEARS,
            )
            for i, (tender, bid) in enumerate(zip(tenders, winners, strict=True))
        ],
    )
    district_officer = {d.pk: ctx.users[f"city-district-{d.code}"] for d in ctx.rows["districts"]}
    with explicit_timestamps((ServicePackage, "created_at")):
        packages = bulk(
            ServicePackage,
            [
                ServicePackage(
                    town=t,
                    agency_id=bid.agency_id,
                    round=round_,
                    edition=round_.edition,
                    tender=tender,
                    contract=contract,
                    title=f"{t.name}社会工作服务项目包",
                    starts_on=starts_on,
                    ends_on=ends_on,
                    annual_amount=bid.price,
                    annual_ceiling=Decimal("1000000"),
                    staff_cost_share=Decimal("55"),
                    created_by=bureau,
                    created_at=at(starts_on - datetime.timedelta(days=12)),
                    cosigned_by=district_officer[t.district_id],
                    cosigned_at=at(starts_on - datetime.timedelta(days=11)),
                    cosign_comment="同意。",
                )
                for t, tender, contract, bid in zip(towns, tenders, contracts, winners, strict=True)
            ],
        )
    ctx.rows["packages"] = packages
    assignments = []
    for p in packages:
        for s in staff_by_agency.get(p.agency_id, [])[:STAFF_PER_PACKAGE]:
            assignments.append(StaffAssignment(package=p, staff=s, is_full_time=s.is_full_time, starts_on=starts_on))
    bulk(StaffAssignment, assignments)

    ctx.count("agencies", n_agencies)
    ctx.count("staff", n_staff)
    ctx.count("certificates", len(certificates))
    ctx.count("tenders", len(tenders))
    ctx.count("bids", len(bids))
    ctx.count("packages", len(packages))
    ctx.count("users", len(users))

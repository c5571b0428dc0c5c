"""Demo data for `manage.py seed_demo` (safe to run twice).

directory seeds places, organisations and one user of every role; other apps register seeders of their
own (`core.demo.register(order)`) in their AppConfig.ready(), and seed_demo runs them all in order.
"""

from __future__ import annotations

from core.demo import DemoContext, register

from .models import Community, District, Membership, Organisation, Role, Town, User
from .services import places_load
from .validators import uscc_check_char

DEMO_PASSWORD = "suzhou-demo-2026"

# Demo communities of Gusu District's real streets (the community names are illustrative).
DEMO_COMMUNITIES: dict[str, list[tuple[str, str]]] = {
    "双塔街道": [
        ("南园社区", "urban"),
        ("滚绣社区", "urban"),
        ("锦帆路社区", "urban"),
        ("竹辉社区", "urban"),
        ("沧浪新城社区", "urban"),
        ("钟楼社区", "urban"),
    ],
    "平江街道": [
        ("平江路社区", "urban"),
        ("东园社区", "urban"),
        ("娄门社区", "urban"),
        ("狮林社区", "urban"),
        ("北寺塔社区", "urban"),
    ],
    "沧浪街道": [
        ("三元社区", "urban"),
        ("新沧浪社区", "urban"),
        ("书香社区", "urban"),
        ("大观园社区", "urban"),
    ],
    "金阊街道": [("石路社区", "urban"), ("彩香社区", "urban"), ("留园社区", "urban"), ("西园社区", "urban")],
    "虎丘街道": [("虎丘社区", "urban"), ("山塘社区", "urban"), ("白莲社区", "urban")],
    "吴门桥街道": [
        ("南门社区", "urban"),
        ("友联社区", "urban"),
        ("觅渡社区", "urban"),
        ("团结社区", "urban"),
    ],
    "苏锦街道": [("苏锦一村社区", "urban"), ("苏锦二村社区", "urban"), ("金筑社区", "urban")],
    "白洋湾街道": [
        ("白洋湾社区", "urban"),
        ("金星村", "village"),
        ("朱家庄村", "village"),
        ("新庄社区", "urban"),
    ],
}

# username → (role, organisation key, full name). The organisation keys are resolved in seed_directory.
DEMO_USERS: list[tuple[str, str, str, str]] = [
    ("bureau", Role.BUREAU_ADMIN, "city_bureau", "王民政"),
    ("district", Role.DISTRICT_OFFICER, "district_bureau", "李区干"),
    ("town", Role.TOWN_OFFICER, "town_office", "张街道"),
    ("community", Role.COMMUNITY_OFFICER, "committee", "陈社区"),
    ("agency", Role.AGENCY_MANAGER, "agency", "周主任"),
    ("worker", Role.AGENCY_WORKER, "agency", "吴社工"),
    ("evaluator", Role.EVALUATOR, "firm", "郑评估"),
    ("expert", Role.EXPERT, "city_bureau", "孙专家"),
    ("auditor", Role.AUDITOR, "city_bureau", "钱审计"),
]


def demo_uscc(serial: int, region: str = "320508", prefix: str = "52") -> str:
    """A valid USCC (D3) for a demo organisation registered with civil affairs."""
    first17 = f"{prefix}{region}MJ{serial:07d}"
    return first17 + uscc_check_char(first17)


def _org(kind: str, name: str, **fields) -> Organisation:
    org, _created = Organisation.objects.update_or_create(kind=kind, name=name, defaults=fields)
    return org


@register(order=10)
def seed_directory(ctx: DemoContext) -> None:
    places_load()
    district = District.objects.get(code="320508")
    ctx.district = district
    for town in Town.objects.filter(district=district):
        for n, (name, kind) in enumerate(DEMO_COMMUNITIES.get(town.name, []), start=1):
            Community.objects.update_or_create(
                town=town, name=name, defaults={"code": f"{town.code}{n:03d}", "kind": kind}
            )
    ctx.town = Town.objects.get(district=district, name="双塔街道")
    orgs = ctx.organisations
    orgs["city_bureau"] = _org(Organisation.Kind.BUREAU, "苏州市民政局", uscc=demo_uscc(1, "320500", "11"))
    orgs["district_bureau"] = _org(
        Organisation.Kind.BUREAU, "姑苏区民政局", district=district, uscc=demo_uscc(2, "320508", "11")
    )
    for town in Town.objects.filter(district=district):
        office = _org(Organisation.Kind.TOWN_OFFICE, f"{town.name}办事处", district=district, town=town)
        if town.pk == ctx.town.pk:
            orgs["town_office"] = office
        for community in town.communities.all():
            suffix = "村委会" if community.kind == Community.Kind.VILLAGE else "居委会"
            committee = _org(
                Organisation.Kind.COMMUNITY_COMMITTEE,
                f"{community.name.removesuffix('社区').removesuffix('村')}{suffix}",
                district=district,
                town=town,
                community=community,
            )
            if community.name == "南园社区":
                orgs["committee"] = committee
    orgs["agency"] = _org(
        Organisation.Kind.AGENCY,
        "苏州市姑苏区乐仁社会工作服务社",
        uscc=demo_uscc(101),
        address="苏州市姑苏区十全街100号",
        contact_name="周主任",
        contact_phone="0512-65000001",
    )
    orgs["agency_2"] = _org(
        Organisation.Kind.AGENCY,
        "苏州市和光社会工作服务中心",
        uscc=demo_uscc(102),
        address="苏州市姑苏区人民路200号",
        contact_name="林主任",
        contact_phone="0512-65000002",
    )
    orgs["agency_3"] = _org(
        Organisation.Kind.AGENCY,
        "苏州市邻里社会工作发展中心",
        uscc=demo_uscc(103),
        address="苏州市姑苏区干将路300号",
        contact_name="何主任",
        contact_phone="0512-65000003",
    )
    orgs["firm"] = _org(
        Organisation.Kind.EVALUATION_FIRM,
        "苏州市公益评估研究中心",
        uscc=demo_uscc(201),
        contact_name="郑评估",
        contact_phone="0512-65000010",
    )
    orgs["foundation"] = _org(
        Organisation.Kind.FOUNDATION,
        "苏州市姑苏区社区发展基金会",
        uscc=demo_uscc(301, prefix="53"),
    )
    for username, role, org_key, full_name in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            user = User(username=username, full_name=full_name, email=f"{username}@demo.suzhou-sw.local")
            user.set_password(DEMO_PASSWORD)
            user.is_staff = role == Role.BUREAU_ADMIN
            user.full_clean()
            user.save()
        Membership.objects.get_or_create(user=user, organisation=orgs[org_key], role=role)
        ctx.users[username] = user
        ctx.lines.append(f"  {username:<10} {DEMO_PASSWORD}   {Role(role).label} · {orgs[org_key].name}")

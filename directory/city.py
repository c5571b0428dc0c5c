"""City-scale places, organisations and users for `manage.py seed_city` (core.city).

Suzhou's ten real districts and Gusu's real streets come from the shipped place file (`places_load`, as
`loadplaces`); the other towns and every community are generated in the districts' code pattern, so that at
scale S there are 100 × S towns with 21 communities each. Organisations: the city bureau, a bureau per
district, a town office per town and a committee per community. Users (password `core.city.CITY_PASSWORD`):
`city-bureau`, `city-auditor`, `city-district-<district code>` and `city-town-<town code>`."""

from __future__ import annotations

from core.city import CityContext, bulk, register

from .demo import demo_uscc
from .models import Community, District, Membership, Organisation, Role, Town, User
from .services import places_load

TOWNS_PER_SCALE = 100
COMMUNITIES_PER_TOWN = 21

_SYLLABLES = (
    "金湖枫桥横塘浒墅木渎胥口甪直东山光福临湖越溪郭巷城南香山长桥太湖望亭黄埭渭塘北桥阳澄元和"
    "盛泽震泽平望桃源七都黎里同里松陵汾湖娄葑斜塘胜浦唯亭梅李海虞支塘沙家浜尚湖辛庄古里董浜"
    "杨舍塘桥金港锦丰乐余凤凰南丰大新周市陆家千灯淀山湖张浦巴城花桥娄东璜泾浏河双凤沙溪城厢"
)


def place_name(rnd, used: set[str], suffix: str) -> str:
    """A two-character place name from the syllables above, numbered when the draw repeats."""
    for _ in range(20):
        i = rnd.randrange(0, len(_SYLLABLES) - 1)
        name = _SYLLABLES[i : i + 2] + suffix
        if name not in used:
            used.add(name)
            return name
    n = len(used)
    name = f"{_SYLLABLES[n % (len(_SYLLABLES) - 1)]}{n}{suffix}"
    used.add(name)
    return name


def _user(ctx: CityContext, username: str, full_name: str) -> User:
    return User(username=username, full_name=full_name, password=ctx.password_hash, email=f"{username}@city.local")


@register(order=10)
def seed_city_directory(ctx: CityContext) -> None:
    places_load()
    rnd = ctx.rnd
    districts = list(District.objects.order_by("code"))
    wanted = ctx.scaled(TOWNS_PER_SCALE)
    existing = list(Town.objects.filter(district__in=districts).order_by("code"))
    new_towns = []
    per_district = {d.pk: [t for t in existing if t.district_id == d.pk] for d in districts}
    n = len(existing)
    k = 0
    while n < wanted:
        district = districts[k % len(districts)]
        k += 1
        taken = per_district[district.pk]
        used = {t.name for t in taken}
        serial = 100 + len([t for t in taken if t.code[-3:] >= "100"])
        kind = "street" if district.kind == "district" or rnd.random() < 0.3 else "town"
        town = Town(
            district=district,
            code=f"{district.code}{serial:03d}",
            name=place_name(rnd, used, "街道" if kind == "street" else "镇"),
            kind=kind,
        )
        taken.append(town)
        new_towns.append(town)
        n += 1
    bulk(Town, new_towns)
    towns = list(Town.objects.filter(district__in=districts).select_related("district").order_by("code"))[:wanted]
    ctx.rows["districts"] = districts
    ctx.rows["towns"] = towns
    ctx.rows["town_code"] = {t.pk: t.code for t in towns}

    existing_communities = set(Community.objects.filter(town__in=towns).values_list("town_id", "name"))
    communities = []
    for town in towns:
        used = {name for town_id, name in existing_communities if town_id == town.pk}
        have = len(used)
        for j in range(have, COMMUNITIES_PER_TOWN):
            kind = "village" if town.kind == "town" and rnd.random() < 0.6 else "urban"
            communities.append(
                Community(
                    town=town,
                    code=f"{town.code}{200 + j:03d}",
                    name=place_name(rnd, used, "村" if kind == "village" else "社区"),
                    kind=kind,
                )
            )
    bulk(Community, communities)
    all_communities = list(Community.objects.filter(town__in=towns).order_by("town_id", "code"))
    by_town: dict[int, list[Community]] = {}
    for c in all_communities:
        by_town.setdefault(c.town_id, []).append(c)
    ctx.rows["communities"] = all_communities
    ctx.rows["communities_by_town"] = by_town

    city_bureau = Organisation.objects.create(
        kind=Organisation.Kind.BUREAU, name="苏州市民政局", uscc=demo_uscc(9001, "320500", "11")
    )
    district_bureaus = bulk(
        Organisation,
        [
            Organisation(
                kind=Organisation.Kind.BUREAU,
                name=f"{d.name}民政局",
                district=d,
                uscc=demo_uscc(9100 + i, d.code, "11"),
            )
            for i, d in enumerate(districts)
        ],
    )
    town_offices = bulk(
        Organisation,
        [
            Organisation(
                kind=Organisation.Kind.TOWN_OFFICE,
                name=f"{t.name}{'办事处' if t.kind == 'street' else '人民政府'}",
                district=t.district,
                town=t,
            )
            for t in towns
        ],
    )
    committees = bulk(
        Organisation,
        [
            Organisation(
                kind=Organisation.Kind.COMMUNITY_COMMITTEE,
                name=f"{c.name}{'村民委员会' if c.kind == 'village' else '居民委员会'}",
                town_id=c.town_id,
                community=c,
            )
            for c in all_communities
        ],
        batch_size=5000,
    )
    ctx.rows["city_bureau"] = [city_bureau]
    ctx.rows["town_offices"] = town_offices
    ctx.rows["committees"] = committees
    ctx.rows["committee_by_community"] = {o.community_id: o for o in committees}
    ctx.rows["town_office_by_town"] = {o.town_id: o for o in town_offices}

    users = [_user(ctx, "city-bureau", "市局管理员"), _user(ctx, "city-auditor", "市局审计")]
    users += [_user(ctx, f"city-district-{d.code}", f"{d.name}干部") for d in districts]
    users += [_user(ctx, f"city-town-{t.code}", f"{t.name}干部") for t in towns]
    # One community officer in the first community of every town (the raters of the two-way assessment).
    first_communities = [by_town[t.pk][0] for t in towns]
    users += [_user(ctx, f"city-community-{c.code}", f"{c.name}干部") for c in first_communities]
    users = bulk(User, users)
    by_name = {u.username: u for u in users}
    ctx.users.update(by_name)
    memberships = [
        Membership(user=by_name["city-bureau"], organisation=city_bureau, role=Role.BUREAU_ADMIN),
        Membership(user=by_name["city-auditor"], organisation=city_bureau, role=Role.AUDITOR),
    ]
    memberships += [
        Membership(user=by_name[f"city-district-{d.code}"], organisation=org, role=Role.DISTRICT_OFFICER)
        for d, org in zip(districts, district_bureaus, strict=True)
    ]
    memberships += [
        Membership(user=by_name[f"city-town-{t.code}"], organisation=org, role=Role.TOWN_OFFICER)
        for t, org in zip(towns, town_offices, strict=True)
    ]
    committee_of = ctx.rows["committee_by_community"]
    memberships += [
        Membership(
            user=by_name[f"city-community-{c.code}"], organisation=committee_of[c.pk], role=Role.COMMUNITY_OFFICER
        )
        for c in first_communities
    ]
    bulk(Membership, memberships)
    ctx.count("districts", len(districts))
    ctx.count("towns", len(towns))
    ctx.count("communities", len(all_communities))
    ctx.count("organisations", 1 + len(district_bureaus) + len(town_offices) + len(committees))
    ctx.count("users", len(users))

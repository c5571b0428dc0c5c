"""Every list the API answers can be narrowed with django-filter by the fields a user filters by, and says so in
the OpenAPI document; a bad filter value is a 400 naming the field, never a 500 or a silently ignored filter."""

import datetime
import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone
from drf_spectacular.generators import SchemaGenerator

from delivery.models import PlanItem, ServicePlan
from delivery.services import reports as report_services
from directory.models import Role
from directory.services import api_token_create
from evaluation import services as evaluation_services
from evaluation.scoring import period_of
from funds import services as funds_services
from funds.models import FundingSource
from tests.procurement.factories import BidFactory, PackageFactory, TenderFactory

pytestmark = pytest.mark.django_db


def _api_routes(resolver=None, prefix="", namespace=""):
    """(route, url name, view class) of every endpoint under /api/v1/."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace or namespace
            yield from _api_routes(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern) and namespace == "api-v1":
            yield prefix + str(pattern.pattern), pattern.name, getattr(pattern.callback, "cls", None)


def _schema_path(route: str) -> str:
    # drf-spectacular writes <int:pk> as {id} (SCHEMA_COERCE_PATH_PK) and other parameters by name.
    path = re.sub(r"<(?:\w+:)?(\w+)>", lambda m: "{id}" if m.group(1) == "pk" else "{" + m.group(1) + "}", route)
    return "/" + path


def _answers_a_list(operation: dict) -> bool:
    schema = operation["responses"].get("200", {}).get("content", {}).get("application/json", {}).get("schema", {})
    return schema.get("type") == "array" or schema.get("$ref", "").split("/")[-1].startswith("Paginated")


@pytest.fixture(scope="module")
def openapi(django_db_blocker):
    with django_db_blocker.unblock():
        return SchemaGenerator().get_schema(request=None, public=True)


def test_every_api_list_has_a_filterset_documented_in_the_schema(openapi):
    """A list endpoint added without a FilterSet (or whose filters the schema does not show) fails here."""
    lists, problems = [], []
    for route, name, view in _api_routes():
        if view is None or not hasattr(view, "get"):
            continue
        operation = openapi["paths"].get(_schema_path(route), {}).get("get")
        if operation is None:
            if name not in ("schema", "docs"):
                problems.append(f"{name}: GET {route} is missing from the OpenAPI document")
            continue
        if operation.get("deprecated") or not _answers_a_list(operation):
            continue  # an old address (308 to the new one) or a single object
        lists.append(name)
        filterset = getattr(view, "filterset_class", None)
        if filterset is None:
            problems.append(f"{name}: GET {route} answers a list but has no filterset_class")
            continue
        documented = {p["name"] for p in operation.get("parameters", []) if p["in"] == "query"}
        missing = set(filterset.base_filters) - documented
        if missing:
            problems.append(f"{name}: filters {sorted(missing)} are not in the OpenAPI document")
    assert problems == []
    # The walk saw the lists (a broken enumeration would pass vacuously).
    assert {"token-list", "catalog-edition-list", "procurement-tender-bid-list", "funds-source-list"} <= set(lists)
    assert len(lists) >= 18


def _ids(response) -> list[int]:
    body = response.json()
    rows = body["results"] if isinstance(body, dict) else body
    return [row.get("id", row.get("source")) for row in rows]


def _assert_400_naming(response, field: str):
    assert response.status_code == 400, response.content
    assert field in response.json()


def test_edition_list_filters_by_year_and_refuses_a_bad_year(client_for, bureau):
    client = client_for(bureau)
    all_editions = client.get("/api/v1/catalog/editions/").json()["results"]
    assert {e["year"] for e in all_editions} >= {2016, 2018}
    only = client.get("/api/v1/catalog/editions/", {"year": 2018}).json()["results"]
    assert only and {e["year"] for e in only} == {2018}
    assert client.get("/api/v1/catalog/editions/", {"is_current": "true"}).json()["count"] == 1
    _assert_400_naming(client.get("/api/v1/catalog/editions/", {"year": "abc"}), "year")
    _assert_400_naming(client.get("/api/v1/catalog/editions/", {"year": 1900}), "year")


def test_agency_list_filters_by_name_and_served_town(client_for, bureau, world, agency, other_agency, round_2018):
    PackageFactory(town=world.town_a1, agency=agency, round=round_2018)
    client = client_for(bureau)
    assert set(_ids(client.get("/api/v1/procurement/agencies/"))) == {agency.pk, other_agency.pk}
    assert _ids(client.get("/api/v1/procurement/agencies/", {"q": "乐仁"})) == [agency.pk]
    assert _ids(client.get("/api/v1/procurement/agencies/", {"town": world.town_a1.pk})) == [agency.pk]
    assert _ids(client.get("/api/v1/procurement/agencies/", {"district": world.district_b.pk})) == []
    _assert_400_naming(client.get("/api/v1/procurement/agencies/", {"town": "abc"}), "town")
    level = {"registration_authority_level": "bogus"}
    _assert_400_naming(client.get("/api/v1/procurement/agencies/", level), "registration_authority_level")


def test_tender_bid_list_filters_by_agency(client_for, bureau, world, agency, other_agency, round_2018):
    tender = TenderFactory(
        round=round_2018, town=world.town_a2, bid_deadline=timezone.now() - datetime.timedelta(days=1)
    )
    mine = BidFactory(tender=tender, agency=agency)
    theirs = BidFactory(tender=tender, agency=other_agency)
    client = client_for(bureau)
    url = f"/api/v1/procurement/tenders/{tender.pk}/bids/"
    assert set(_ids(client.get(url))) == {mine.pk, theirs.pk}
    assert _ids(client.get(url, {"agency": other_agency.pk})) == [theirs.pk]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert _ids(client.get(url, {"submitted_after": tomorrow})) == []
    _assert_400_naming(client.get(url, {"agency": "abc"}), "agency")
    _assert_400_naming(client.get(url, {"submitted_after": "2025-02-30"}), "submitted_after")


def test_package_report_list_filters_by_month_and_status(client_for, manager, package, world, edition_2018):
    plan = ServicePlan.objects.create(package=package, status=ServicePlan.Status.APPROVED, version=1)
    item = edition_2018.items.filter(level="community").first()
    PlanItem.objects.create(plan=plan, item=item, community=world.communities_a1[0], annual_target=5)
    today = timezone.localdate()
    last_month = today.replace(day=1) - datetime.timedelta(days=1)
    this = report_services.report_create(actor=manager, package=package, year=today.year, month=today.month)
    before = report_services.report_create(actor=manager, package=package, year=last_month.year, month=last_month.month)
    client = client_for(manager)
    url = f"/api/v1/delivery/packages/{package.pk}/reports/"
    assert set(_ids(client.get(url))) == {this.pk, before.pk}
    assert _ids(client.get(url, {"year": last_month.year, "month": last_month.month})) == [before.pk]
    assert _ids(client.get(url, {"status": "confirmed"})) == []
    _assert_400_naming(client.get(url, {"month": 13}), "month")
    _assert_400_naming(client.get(url, {"status": "bogus"}), "status")


def test_token_list_filters_by_scope_and_state(client_for, manager):
    read, _key = api_token_create(actor=manager, name="只读", scope="read")
    write, _key = api_token_create(actor=manager, name="读写", scope="write")
    client = client_for(manager)
    assert set(_ids(client.get("/api/v1/tokens/"))) == {read.pk, write.pk}
    assert _ids(client.get("/api/v1/tokens/", {"scope": "read"})) == [read.pk]
    assert _ids(client.get("/api/v1/tokens/", {"active": "false"})) == []
    _assert_400_naming(client.get("/api/v1/tokens/", {"scope": "admin"}), "scope")
    _assert_400_naming(client.get("/api/v1/tokens/", {"created_after": "yesterday"}), "created_after")


def test_assessment_round_and_sheet_lists_filter_by_period_status_and_direction(client_for, bureau, package):
    period = period_of(timezone.localdate())
    round_ = evaluation_services.assessment_round_open(actor=bureau, package=package, period=period)
    client = client_for(bureau)
    rounds = "/api/v1/evaluation/assessment-rounds/"
    assert _ids(client.get(rounds, {"period": period, "town": package.town_id})) == [round_.pk]
    assert _ids(client.get(rounds, {"status": "closed"})) == []
    _assert_400_naming(client.get(rounds, {"period": "2025H3"}), "period")
    _assert_400_naming(client.get(rounds, {"district": "-1"}), "district")

    sheets = "/api/v1/evaluation/assessment-sheets/"
    every = _ids(client.get(sheets, {"round": round_.pk}))
    of_town = _ids(client.get(sheets, {"round": round_.pk, "direction": "of_town_office"}))
    assert len(of_town) == 1 and len(every) > 1 and set(of_town) < set(every)
    _assert_400_naming(client.get(sheets, {"direction": "sideways"}), "direction")


def test_source_list_filters_by_kind_and_district_and_refuses_a_bad_year(client_for, bureau, world):
    city = funds_services.source_ensure(kind=FundingSource.Kind.CITY_BUDGET)
    district = funds_services.source_ensure(kind=FundingSource.Kind.DISTRICT_BUDGET, district=world.district_a)
    client = client_for(bureau)
    assert {city.pk, district.pk} <= set(_ids(client.get("/api/v1/funds/sources/")))
    assert _ids(client.get("/api/v1/funds/sources/", {"kind": "city_budget"})) == [city.pk]
    assert _ids(client.get("/api/v1/funds/sources/", {"district": world.district_a.pk})) == [district.pk]
    year = timezone.localdate().year - 1
    assert {row["year"] for row in client.get("/api/v1/funds/sources/", {"year": year}).json()} == {year}
    _assert_400_naming(client.get("/api/v1/funds/sources/", {"year": 1999}), "year")
    _assert_400_naming(client.get("/api/v1/funds/sources/", {"kind": "bogus"}), "kind")


def test_roster_refuses_an_unknown_status_instead_of_ignoring_it(client_for, personas, agency):
    client = client_for(personas[Role.AGENCY_MANAGER])
    url = f"/api/v1/procurement/agencies/{agency.pk}/staff/"
    assert client.get(url, {"status": "all"}).status_code == 200
    _assert_400_naming(client.get(url, {"status": "bogus"}), "status")

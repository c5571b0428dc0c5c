"""Responses agree with the OpenAPI document (issue 12, finding 5), checked with schemathesis on real rows:
the bids of a tender are a list (the schema promised a paged object); a package's progress is an object (the
schema promised a list)."""

import datetime

import pytest
from django.utils import timezone
from schemathesis.specs.openapi.checks import response_schema_conformance

from directory.models import Role
from directory.services import api_token_create
from tests.procurement.factories import BidFactory, RoundFactory, TenderFactory, qualified_agency

# The WSGI transport hands back the body as sent; asking for it uncompressed keeps the gzip middleware
# (core.middleware.CompressTextMiddleware, tested on its own) out of the schema checks.
IDENTITY = {"Accept-Encoding": "identity"}


def call(api_schema, user, path: str, **path_parameters):
    _token, key = api_token_create(actor=user, name="conformance", scope="read")
    case = api_schema[path]["GET"].Case(path_parameters=path_parameters)
    response = case.call(headers={"Authorization": f"Bearer {key}", **IDENTITY})
    assert response.status_code == 200, response.text
    case.validate_response(response, checks=[response_schema_conformance])
    return response


@pytest.mark.django_db
def test_the_bids_of_a_tender_are_the_list_the_schema_describes(api_schema, personas, world, edition_2018):
    tender = TenderFactory(
        round=RoundFactory(), town=world.town_a1, bid_deadline=timezone.now() - datetime.timedelta(days=1)
    )
    BidFactory(tender=tender, agency=qualified_agency(world.agency))
    BidFactory(tender=tender, agency=qualified_agency(world.other_agency))
    response = call(api_schema, personas[Role.BUREAU_ADMIN], "/api/v1/procurement/tenders/{id}/bids/", id=tender.pk)
    assert isinstance(response.json(), list) and len(response.json()) == 2


@pytest.mark.django_db
def test_s4_progress_is_the_object_the_schema_describes(api_schema, personas, world, edition_2018):
    from tests.delivery.reports.builders import END, START, approved_plan
    from tests.procurement.factories import PackageFactory

    package = PackageFactory(
        town=world.town_a1, agency=qualified_agency(world.agency), round=RoundFactory(), starts_on=START, ends_on=END
    )
    approved_plan(package, world)
    response = call(api_schema, personas[Role.TOWN_OFFICER], "/api/v1/delivery/packages/{id}/progress/", id=package.pk)
    body = response.json()
    assert {"plan_year", "on", "expected_pct", "lagging_threshold", "items"} <= set(body)
    assert body["items"] and {"plan_item", "progress_pct", "lagging"} <= set(body["items"][0])


@pytest.mark.django_db
def test_k8_a_finding_with_its_history_is_the_object_the_schema_describes(api_schema, personas, world, package):
    from compliance.services import finding_respond
    from tests.compliance.findings_world import make_findings

    findings = make_findings(world, package)
    finding_respond(actor=personas[Role.AGENCY_MANAGER], finding=findings.k3, text="已补交。")
    response = call(api_schema, personas[Role.BUREAU_ADMIN], "/api/v1/compliance/findings/{id}/", id=findings.k3.pk)
    assert [e["kind"] for e in response.json()["events"]] == ["opened", "responded"]
    listed = call(api_schema, personas[Role.BUREAU_ADMIN], "/api/v1/compliance/findings/")
    assert listed.json()["count"] == 4

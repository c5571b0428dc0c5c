"""Bad input is a form error, a 400, a 403 or a 404 — never a 500. Every URL of the procurement and evaluation
pages and APIs, with ids of real rows, is sent a garbage query string, an empty POST and a POST of garbage
(numbers beyond any column, malformed dates, unknown choices, out-of-range ids) by one persona per kind of
scope, an outsider and an anonymous visitor."""

import datetime
import json
import re

import pytest
from django.utils import timezone

from delivery.models import PlanItem, ServicePlan, Venue
from delivery.services import focus as focus_services
from delivery.services import reports as report_services
from directory.models import Role
from evaluation import services as evaluation_services
from evaluation.scoring import period_of
from procurement.models import TenderExpert
from tests.factories import MembershipFactory, UserFactory
from tests.procurement.factories import (
    BidFactory,
    ExpertFactory,
    PackageFactory,
    RoundFactory,
    TenderFactory,
    qualified_agency,
    team,
)

BIG = "9" * 30
GARBAGE_QUERY = {
    "status": "bogus",
    "town": BIG,
    "community": "abc",
    "district": "-1",
    "kind": "nope",
    "stage": "nope",
    "page": "abc",
    "on": "2024-02-30",
    "year": "²",
    "format": "zzz",
    "q": "\x00",
    "limit": "abc",
    "offset": "-5",
    "package": BIG,
    "team_ids": [BIG, "²", "abc"],
    "rule": "K99",
    "severity": "nope",
    "age": "-1",
    "agency": BIG,
    "responsible": "everyone",
}
NUMBERS = "price annual_ceiling annual_amount area_m2 staff_cost_share annual_target year period_years expert_count"
IDS = "item community bid package firm rubric town round line agency_indicator_set town_office_indicator_set"
DATES = (
    "signed_on on resolved_on due_on issued_on expires_on employed_from employed_until service_starts_on bid_deadline"
)
DATES += " opens_on closes_on valid_from valid_until registered_on registration_valid_until starts_on ends_on"
CHOICES = "decision has_conflict to_status stage kind category_kind unit level status registration_authority_level"
TEXTS = "reason note proposal text name title description justification summary resident_id number comment period"
GARBAGE_POST = {
    **{name: BIG for name in NUMBERS.split()},
    **{name: BIG for name in IDS.split()},
    **{name: "2024-13-45" for name in DATES.split()},
    **{name: "bogus" for name in CHOICES.split()},
    **{name: "x" for name in TEXTS.split()},
    **{name: [BIG, "²"] for name in ("team_ids", "staff_ids", "evaluators")},
    "month": "13",
    "weight_price": "-5",
    "price_score": "NaN",
    "proposal_score": "1e999",
    "team_score": "-1",
    "past_score": BIG,
}
GARBAGE_JSON = {
    **GARBAGE_POST,
    "price": 1e308,
    "annual_target": int(BIG),
    "year": int(BIG),
    "team_ids": [int(BIG)],
    "evaluators": [int(BIG)],
    "lines": [{"plan_item": [], "sessions": int(BIG)}, {"plan_item": {}}],
    "scores": [{"indicator": "x", "score": "NaN"}, {"indicator": int(BIG), "score": int(BIG)}],
    "approve": "maybe",
}
PERSONAS = [
    Role.BUREAU_ADMIN,
    Role.AGENCY_MANAGER,
    Role.TOWN_OFFICER,
    Role.EVALUATOR,
    Role.EXPERT,
    "outsider",
    "anonymous",
]


def _routes():
    from compliance.api_urls import urlpatterns as compliance_api
    from compliance.views import urlpatterns as compliance_pages
    from delivery.api import urlpatterns as delivery_api
    from delivery.views import urlpatterns as delivery_pages
    from evaluation.api_urls import urlpatterns as evaluation_api
    from evaluation.views import urlpatterns as evaluation_pages
    from procurement.api import urlpatterns as procurement_api
    from procurement.views import urlpatterns as procurement_pages
    from reporting.views import urlpatterns as reporting_pages

    for prefix, patterns in (
        ("/procurement/", procurement_pages),
        ("/delivery/", delivery_pages),
        ("/evaluation/", evaluation_pages),
        ("/", reporting_pages),
        ("/compliance/", compliance_pages),
        ("/api/v1/procurement/", procurement_api),
        ("/api/v1/delivery/", delivery_api),
        ("/api/v1/evaluation/", evaluation_api),
        ("/api/v1/compliance/", compliance_api),
    ):
        for pattern in patterns:
            yield prefix + str(pattern.pattern), prefix.startswith("/api/")


@pytest.fixture
def scene(settings, tmp_path, world, personas, outsiders, edition_2018):
    """One row of every kind the URLs take an id of, on side A; returns {url segment → id}."""
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path
    bureau, manager = personas[Role.BUREAU_ADMIN], personas[Role.AGENCY_MANAGER]
    round_ = RoundFactory()
    agency = qualified_agency(world.agency)
    qualified_agency(world.other_agency)
    staff = team(agency, full_time=9, certified=5)
    open_tender = TenderFactory(round=round_, town=world.town_a2)
    bid = BidFactory(tender=open_tender, agency=agency, team=staff)
    closed = TenderFactory(round=round_, town=world.town_b1, bid_deadline=timezone.now() - datetime.timedelta(days=1))
    BidFactory(tender=closed, agency=agency, team=staff)
    member = TenderExpert.objects.create(tender=closed, expert=ExpertFactory(user=personas[Role.EXPERT]))
    package = PackageFactory(town=world.town_a1, agency=agency, round=round_)
    plan = ServicePlan.objects.create(package=package, status=ServicePlan.Status.APPROVED, version=1)
    item = PlanItem.objects.create(
        plan=plan,
        item=edition_2018.items.filter(level="community").first(),
        community=world.communities_a1[0],
        annual_target=5,
    )
    venue = Venue.objects.create(package=package, name="活动室", address="地址", area_m2=50)
    today = timezone.localdate()
    report = report_services.report_create(actor=manager, package=package, year=today.year, month=today.month)
    issue = focus_services.focus_issue_report(
        actor=personas[Role.COMMUNITY_OFFICER],
        community=world.communities_a1[0],
        kind="other",
        title="t",
        description="d",
    )
    colleague = UserFactory()
    MembershipFactory(user=colleague, organisation=world.firm, role=Role.EVALUATOR)
    evaluation = evaluation_services.evaluation_assign(
        actor=bureau,
        package=package,
        stage="mid_term",
        firm=world.firm,
        evaluator_ids=[personas[Role.EVALUATOR].pk, colleague.pk],
    )
    assignment = evaluation.assignments.get(evaluator=personas[Role.EVALUATOR])
    assessment = evaluation_services.assessment_round_open(actor=bureau, package=package, period=period_of(today))
    finding = _finding(world, package)
    ids = {
        "tenders": open_tender.pk,
        "panels": closed.pk,
        "bids": bid.pk,
        "packages": package.pk,
        "plans": plan.pk,
        "items": item.pk,
        "venues": venue.pk,
        "reports": report.pk,
        "attachments": 999999,
        "agencies": agency.pk,
        "staff": staff[0].pk,
        "certificates": staff[0].certificates.first().pk,
        "qualifications": agency.qualifications.first().pk,
        "organisations": world.agency.pk,
        "focus-issues": issue.pk,
        "towns": world.town_a1.pk,
        "evaluations": evaluation.pk,
        "assignments": assignment.pk,
        "sheets": assignment.sheet.pk,
        "assessments": assessment.pk,
        "assessment-rounds": assessment.pk,
        "assessment-sheets": assessment.sheets.first().pk,
        "redraw": member.pk,
        "findings": finding.pk,
    }
    return ids


def _finding(world, package):
    """A compliance finding the agency must answer (made as the sweep makes them)."""
    from compliance.checks import Found
    from compliance.models import Finding
    from compliance.services import findings_sync

    found = Found(
        "report:scene",
        "月报逾期",
        organisation_id=world.agency.pk,
        package_id=package.pk,
        district_id=world.district_a.pk,
        town_id=world.town_a1.pk,
    )
    findings_sync(rule="K3", found=[found])
    return Finding.objects.get(rule="K3", subject_key="report:scene")


def _url(route: str, ids: dict) -> str:
    """The route with each parameter replaced by the id of a row of the kind the path segment before it names."""
    named = {"item_pk": "items", "venue_pk": "venues", "member_pk": "redraw", "attachment_pk": "attachments"}
    named |= {
        "tender_pk": "panels",
        "organisation_pk": "organisations",
        "evaluation_pk": "evaluations",
        "plan_pk": "plans",
        "package_pk": "packages",
    }
    out, segment = "", None
    for part in re.split(r"(<[^>]+>)", route):
        match = re.fullmatch(r"<(\w+):(\w+)>", part)
        if match is None:
            segments = [s for s in part.split("/") if s]
            segment = segments[-1] if segments else segment
            out += part
        elif match.group(1) == "str":
            out += "audit_report"
        else:
            out += str(ids[named.get(match.group(2), segment)])
    return out


@pytest.mark.django_db
@pytest.mark.parametrize("persona", PERSONAS)
def test_no_server_error_on_garbage(client, personas, outsiders, scene, persona):
    if persona == "outsider":
        client.force_login(outsiders[Role.AGENCY_MANAGER])
    elif persona != "anonymous":
        client.force_login(personas[persona])
    client.raise_request_exception = False
    errors = []
    for route, is_api in _routes():
        url = _url(route, scene)
        requests = [("get", GARBAGE_QUERY, None), ("post", GARBAGE_POST, None)]
        if is_api:
            requests += [("post", GARBAGE_JSON, "json"), ("patch", GARBAGE_JSON, "json")]
        else:
            requests.append(("post", {}, None))
        for method, data, kind in requests:
            if kind == "json":
                response = getattr(client, method)(url, json.dumps(data), content_type="application/json")
            else:
                response = getattr(client, method)(url, data)
            if response.status_code >= 500:
                errors.append(f"{method.upper()} {url} {kind or ''} → {response.status_code}")
    assert errors == []

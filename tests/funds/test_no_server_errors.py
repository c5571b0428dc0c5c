"""No 500 on the money pages and API: every funds URL, with ids of real rows, gets a garbage query string, an
empty POST and a POST of garbage (plus JSON garbage for the API) from one persona per kind of scope, a fund
committee member, an outsider and an anonymous visitor. Reuses the garbage of tests/test_no_server_errors.py."""

import json
import re

import pytest
from django.utils import timezone

from directory.models import Role
from funds import services
from tests.test_no_server_errors import BIG, GARBAGE_JSON, GARBAGE_POST, GARBAGE_QUERY

from .conftest import split_evenly

FUNDS_POST = {
    **GARBAGE_POST,
    "amount": BIG,
    "year": BIG,
    "paid_on": "2024-13-45",
    "occurred_on": "2024-02-30",
    "voucher_number": "x" * 500,
    "donor_name": "x" * 500,
    "is_anonymous": "maybe",
    "restricted_to": "x" * 500,
    "kind": "bogus",
    "applicant_kind": "bogus",
    "community": BIG,
    "approve": "maybe",
    "amount_1": "1.001",
    "item_1": "",
    "amount_2": "-5",
    "y1-source_1": "abc",
    "outcome": "",
}
FUNDS_JSON = {
    **GARBAGE_JSON,
    **FUNDS_POST,
    "amount": 1e308,
    "plan_year": int(BIG),
    "parts": [{"source": int(BIG), "amount": "NaN"}, "x", {"source": "a"}],
    "budget_lines": [{"item": [], "amount": {}}, 5, {"item": "a", "amount": "1e999"}],
    "community": int(BIG),
    "approve": "maybe",
}


def _routes():
    from funds.api_urls import urlpatterns as api
    from funds.views import urlpatterns as pages

    for prefix, patterns in (("/funds/", pages), ("/api/v1/funds/", api)):
        for pattern in patterns:
            yield prefix + str(pattern.pattern), prefix.startswith("/api/")


@pytest.fixture
def scene(bureau, package, budgets, fund, committee, fund_manager, world):
    split_evenly(bureau, package, budgets, 1)
    instalment = package.instalments.get(plan_year=1, milestone="start")
    payment = services.payment_record(
        actor=bureau, instalment=instalment, amount="1.00", paid_on=timezone.localdate(), voucher_number="PZ"
    )
    entry = services.donation_record(
        actor=fund_manager, fund=fund, amount="10.00", occurred_on=timezone.localdate(), donor_name="x"
    )
    grant = services.grant_apply(
        actor=fund_manager,
        fund=fund,
        kind="micro_venture",
        title="t",
        applicant_kind="resident_group",
        applicant_name="a",
        community=world.communities_a1[0],
        purpose="p",
        budget_lines=[{"item": "i", "amount": "1"}],
    )
    return {
        "sources": budgets["district"].pk,
        "packages": package.pk,
        "split": 1,
        "instalments": instalment.pk,
        "payments": payment.pk,
        "community": fund.pk,
        "community-funds": fund.pk,
        "ledger": entry.pk,
        "grants": grant.pk,
        "receipts": 999999,
        "public": fund.pk,
    }


def _url(route: str, ids: dict) -> str:
    named = {"receipt_pk": "receipts", "plan_year": "split"}
    out, segment = "", None
    for part in re.split(r"(<[^>]+>)", route):
        match = re.fullmatch(r"<(\w+):(\w+)>", part)
        if match is None:
            segments = [s for s in part.split("/") if s]
            segment = segments[-1] if segments else segment
            out += part
        else:
            out += str(ids[named.get(match.group(2), segment)])
    return out


@pytest.mark.django_db
@pytest.mark.parametrize(
    "persona",
    [
        Role.BUREAU_ADMIN,
        Role.AGENCY_MANAGER,
        Role.TOWN_OFFICER,
        Role.FUND_MANAGER,
        "committee",
        "outsider",
        "anonymous",
    ],
)
def test_no_server_error_on_garbage(client, personas, outsiders, committee, scene, persona):
    if persona == "outsider":
        client.force_login(outsiders[Role.AGENCY_MANAGER])
    elif persona == "committee":
        client.force_login(committee[0])
    elif persona != "anonymous":
        client.force_login(personas[persona])
    client.raise_request_exception = False
    errors = []
    for route, is_api in _routes():
        url = _url(route, scene)
        requests = [("get", GARBAGE_QUERY, None), ("post", FUNDS_POST, None), ("post", {}, None)]
        if is_api:
            requests += [("post", FUNDS_JSON, "json"), ("patch", FUNDS_JSON, "json")]
        for method, data, kind in requests:
            if kind == "json":
                response = getattr(client, method)(url, json.dumps(data), content_type="application/json")
            else:
                response = getattr(client, method)(url, data)
            if response.status_code >= 500:
                errors.append(f"{method.upper()} {url} {kind or ''} → {response.status_code}")
    assert errors == []


@pytest.mark.parametrize(
    ("name", "query"),
    [
        ("api-v1:funds-ledger-list", {"fund": "99999999999999999999"}),
        ("api-v1:funds-ledger-list", {"year": "99999999999"}),
        ("api-v1:funds-ledger-list", {"year": "-1"}),
        ("api-v1:funds-payment-list", {"package": "99999999999999999999"}),
    ],
)
def test_api_filters_out_of_range_are_400_not_500(client, personas, name, query):
    from django.urls import reverse

    url = reverse(name)
    client.force_login(personas["bureau_admin"])
    assert client.get(url, query).status_code == 400

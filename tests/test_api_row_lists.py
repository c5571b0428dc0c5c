"""The API lists read as value rows (issue 14, `core.api.RowListMixin`) answer exactly what their serializers
answered over model instances: the same objects, keys, values and order, page by page, for the bureau (which
sees every row) and for a town officer (the permission scope narrows the rows), with and without filters."""

import io
import json
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from rest_framework.renderers import JSONRenderer

from catalog.api import ItemOutputSerializer
from catalog.selectors import service_item_all
from delivery.api.reports import FocusIssueOutputSerializer, ReportOutputSerializer
from delivery.selectors import focus_issue_rows, report_rows
from directory.models import Membership, Role, User
from directory.services import api_token_create
from procurement.api.tenders import TenderListApi
from procurement.selectors import tender_rows

pytestmark = pytest.mark.django_db


def _reference(serializer, rows, user) -> list:
    data = serializer(rows, many=True, context={"request": SimpleNamespace(user=user)}).data
    return json.loads(JSONRenderer().render(data))


LISTS = {
    "/api/v1/delivery/focus-issues/": (FocusIssueOutputSerializer, lambda user: focus_issue_rows(user=user)),
    "/api/v1/delivery/reports/": (
        ReportOutputSerializer,
        lambda user: report_rows(user=user).order_by("-year", "-month", "package_id", "-version"),
    ),
    "/api/v1/catalog/items/": (ItemOutputSerializer, lambda user: service_item_all(user=user)),
    "/api/v1/procurement/tenders/": (
        TenderListApi.OutputSerializer,
        lambda user: tender_rows(user=user).order_by("-created_at", "pk"),
    ),
}


@pytest.fixture
def city(db):
    call_command("seed_city", scale=0.02, stdout=io.StringIO())
    town_officer = (
        Membership.objects.filter(role=Role.TOWN_OFFICER, is_active=True).select_related("user").order_by("pk").first()
    )
    return SimpleNamespace(bureau=User.objects.get(username="city-bureau"), town_officer=town_officer.user)


@pytest.mark.parametrize("url", list(LISTS))
def test_api_list_rows_equal_what_the_serializer_writes(client, city, url):
    serializer, rows = LISTS[url]
    for user in (city.bureau, city.town_officer):
        client.force_login(user)
        expected = _reference(serializer, rows(user), user)
        assert expected, (url, user.username)
        for limit, offset in ((50, 0), (7, 3), (5, len(expected) - 2), (5, len(expected) + 10)):
            body = client.get(url, {"limit": limit, "offset": offset}).json()
            assert body["count"] == len(expected)
            assert body["results"] == expected[offset : offset + limit], (url, user.username, limit, offset)
            assert (body["next"] is not None) == (offset + limit < len(expected))


def test_api_list_filters_still_narrow_the_rows(client, city):
    """A filter parameter builds the FilterSet as before (the rows are filtered), an unknown one is ignored, and
    a bad value is still a 400 with the field named."""
    client.force_login(city.bureau)
    every = client.get("/api/v1/delivery/focus-issues/", {"limit": 200}).json()["results"]
    status = every[0]["status"]
    narrowed = client.get("/api/v1/delivery/focus-issues/", {"limit": 200, "status": status}).json()["results"]
    assert narrowed == [row for row in every if row["status"] == status]
    assert client.get("/api/v1/delivery/focus-issues/", {"limit": 200, "colour": "red"}).json()["results"] == every
    bad = client.get("/api/v1/delivery/focus-issues/", {"status": "no-such-status"})
    assert bad.status_code == 400 and "status" in bad.json()


@pytest.mark.parametrize("url", list(LISTS))
def test_api_list_page_with_its_total_is_one_query(client, city, url, django_assert_num_queries):
    """With an API token: the token and its user, the caller's memberships (the permission scope; the catalogue
    needs none, but reads the page's small items), and the page with its total in the same query."""
    _token, key = api_token_create(actor=city.bureau, name="query count", scope="read")
    client.get(url, HTTP_AUTHORIZATION=f"Bearer {key}")  # the first use writes last_used_at
    with django_assert_num_queries(3):
        body = client.get(url, {"limit": 1, "offset": 1}, HTTP_AUTHORIZATION=f"Bearer {key}").json()
    assert body["count"] >= 2 and len(body["results"]) == 1

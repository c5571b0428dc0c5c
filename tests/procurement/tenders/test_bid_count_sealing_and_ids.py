"""Regressions found in review: the bid count is sealed too (T2), and an out-of-range staff id in a bid is a
form error or a 400, never a server error; a refused bid's team check never reads another agency's roster; the
query count of the experts' panel list, which had none pinned."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Role
from procurement.models import Bid, TenderExpert
from tests.procurement.factories import BidFactory, StaffFactory, TenderFactory, qualified_agency

from .helpers import pass_deadline

pytestmark = pytest.mark.django_db

BIG_ID = "9" * 30


def _count_cell(response, tender) -> str:
    tender_row = next(t for t in response.context["tenders"] if t.pk == tender.pk)
    return tender_row.bid_count if tender_row.show_bid_count else None


@pytest.mark.parametrize("role", [Role.AGENCY_MANAGER, Role.AGENCY_WORKER, Role.TOWN_OFFICER, Role.EXPERT])
def test_t2_tender_list_hides_the_bid_count_before_the_deadline(client, personas, outsiders, tender, bids, role):
    for user in (personas[role], outsiders[role]):
        client.force_login(user)
        response = client.get(reverse("procurement:tender-list"))
        assert _count_cell(response, tender) is None
        assert "<td>2</td>" not in response.content.decode()


def test_t2_tender_list_shows_the_bid_count_to_the_bureau_and_to_everyone_after_the_deadline(
    client, bureau, other_manager, tender, bids
):
    client.force_login(bureau)
    assert _count_cell(client.get(reverse("procurement:tender-list")), tender) == 2
    pass_deadline(tender)
    client.force_login(other_manager)
    assert _count_cell(client.get(reverse("procurement:tender-list")), tender) == 2


def test_t2_api_tender_list_bid_count_is_null_until_the_deadline(client, bureau, other_manager, tender, bids):
    url = reverse("api-v1:procurement-tender-list")
    client.force_login(other_manager)
    assert client.get(url).json()["results"][0]["bid_count"] is None
    client.force_login(bureau)
    assert client.get(url).json()["results"][0]["bid_count"] == 2
    pass_deadline(tender)
    client.force_login(other_manager)
    assert client.get(url).json()["results"][0]["bid_count"] == 2


def test_bid_page_with_an_out_of_range_team_id_is_a_form_error(client, manager, tender, agency, agency_team):
    client.force_login(manager)
    data = {"price": "950000.00", "proposal": "方案", "team_ids": [agency_team[0].pk, BIG_ID]}
    response = client.post(reverse("procurement:bid-submit", args=[tender.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].errors["team_ids"]
    assert not Bid.objects.filter(tender=tender).exists()


def test_api_bid_with_an_out_of_range_team_id_is_a_400(client, manager, tender, agency, agency_team):
    client.force_login(manager)
    payload = {"price": "950000.00", "proposal": "方案", "team_ids": [agency_team[0].pk, int(BIG_ID)]}
    response = client.post(
        reverse("api-v1:procurement-tender-bid-list", args=[tender.pk]), payload, content_type="application/json"
    )
    assert response.status_code == 400 and "team_ids" in response.json()
    assert not Bid.objects.filter(tender=tender).exists()


def test_package_form_with_an_out_of_range_staff_id_is_a_form_error(client, bureau, agency, agency_team):
    client.force_login(bureau)
    response = client.post(reverse("procurement:package-create"), {"agency": agency.pk, "staff_ids": [BIG_ID]})
    assert response.status_code == 200
    assert response.context["form"].errors["staff_ids"]
    # The htmx staff picker with an agency "id" that is a digit but not a number (int("²") fails).
    response = client.get(reverse("procurement:package-create"), {"agency": "²"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200


def test_bid_page_team_check_never_reads_another_agencys_roster(client, manager, tender, agency, other_agency):
    """A refused bid re-renders the team check for the ids sent; ids of another agency's staff are ignored, so
    their names (in the check's problems and warnings) never show."""
    stranger = StaffFactory(agency=other_agency, name="别家社工甲", employed_until=datetime.date(2020, 1, 31))
    client.force_login(manager)
    response = client.post(
        reverse("procurement:bid-submit", args=[tender.pk]), {"price": "", "team_ids": [stranger.pk]}
    )
    assert response.status_code == 200 and response.context["form"].errors
    assert "别家社工甲" not in response.content.decode()
    assert response.context["check"].full_time == 0


def test_team_check_partial_ignores_foreign_and_garbage_ids(client, manager, tender, agency, agency_team, other_agency):
    stranger = StaffFactory(agency=other_agency, name="别家社工乙", employed_until=datetime.date(2020, 1, 31))
    client.force_login(manager)
    ids = [agency_team[0].pk, stranger.pk, BIG_ID, "²", "-1"]
    response = client.get(reverse("procurement:bid-team-check", args=[tender.pk]), {"team_ids": ids})
    assert response.status_code == 200
    assert response.context["check"].full_time == 1 and "别家社工乙" not in response.content.decode()


def test_panel_list_uses_a_constant_number_of_queries(
    client, expert_user, experts, round_2018, world, django_assert_max_num_queries
):
    """Not pinned before: an expert's list of the panels they sit on."""
    client.force_login(expert_user)
    counts = []
    for rows in (1, 5):
        for _ in range(TenderExpert.objects.filter(expert=experts[0]).count(), rows):
            tender = pass_deadline(TenderFactory(round=round_2018, town=world.town_b1))
            BidFactory(tender=tender, agency=qualified_agency())
            TenderExpert.objects.create(tender=tender, expert=experts[0])
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(6):
            assert len(client.get(reverse("procurement:panel-list")).context["rows"]) == rows
        counts.append(len(queries))
    assert counts[0] == counts[1]

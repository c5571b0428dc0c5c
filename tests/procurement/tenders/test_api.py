"""The tender API: the list (drafts for the bureau), bids (sealed, submitted through the service), scores."""

from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import Role
from procurement.models import Bid, BidScore, Tender
from tests.procurement.factories import BidFactory, TenderFactory, qualified_agency

from .helpers import PDF, pass_deadline

pytestmark = pytest.mark.django_db


def test_api_tender_list_drafts_only_for_the_city_wide_roles(
    client, personas, outsiders, round_2018, world, tender, django_assert_max_num_queries
):
    draft = TenderFactory(round=round_2018, town=world.town_a2, status=Tender.Status.DRAFT)
    url = reverse("api-v1:procurement-tender-list")
    assert client.get(url).status_code == 403
    for user in (personas[Role.BUREAU_ADMIN], personas[Role.AUDITOR]):
        client.force_login(user)
        assert {row["id"] for row in client.get(url).json()["results"]} == {tender.pk, draft.pk}
    for user in (personas[Role.AGENCY_MANAGER], outsiders[Role.TOWN_OFFICER], personas[Role.EXPERT]):
        client.force_login(user)
        assert [row["id"] for row in client.get(url).json()["results"]] == [tender.pk]
    row = client.get(url).json()["results"][0]
    assert row["annual_ceiling"] == "1000000.00" and row["weights"] == {
        "price": 20,
        "proposal": 40,
        "team": 25,
        "past": 15,
    }
    for _ in range(4):
        t = TenderFactory(round=round_2018, town=world.town_b1)
        BidFactory(tender=t, agency=qualified_agency())
    client.force_login(personas[Role.BUREAU_ADMIN])
    client.get(url)
    with django_assert_max_num_queries(6):
        data = client.get(url, {"status": "published"}).json()
    assert data["count"] == 5
    assert client.get(url, {"status": "moon"}).status_code == 400


def test_api_bids_of_a_draft_are_404_for_outsiders(client, personas, round_2018, world):
    draft = TenderFactory(round=round_2018, town=world.town_a2, status=Tender.Status.DRAFT)
    client.force_login(personas[Role.AGENCY_MANAGER])
    assert client.get(reverse("api-v1:procurement-tender-bid-list", args=[draft.pk])).status_code == 404


def test_t2_api_submit_a_bid_through_the_service(client, manager, tender, agency, agency_team):
    client.force_login(manager)
    url = reverse("api-v1:procurement-tender-bid-list", args=[tender.pk])
    payload = {"price": "930000.00", "proposal": "方案", "team_ids": [m.pk for m in agency_team]}
    response = client.post(url, payload, content_type="application/json")
    assert response.status_code == 201
    assert response.json()["price"] == "930000.00" and len(response.json()["team"]) == 9
    upload = SimpleUploadedFile("p.pdf", PDF, content_type="application/pdf")
    response = client.post(url, {**payload, "price": "920000", "proposal_file": upload})
    assert response.status_code == 201 and response.json()["proposal_file"]
    assert Bid.objects.get().price == Decimal("920000")


def test_t5_api_bid_errors_are_400_with_fields(client, manager, tender, agency, agency_team, other_agency):
    client.force_login(manager)
    url = reverse("api-v1:procurement-tender-bid-list", args=[tender.pk])
    response = client.post(
        url, {"price": "1000000.01", "proposal": "方案", "team_ids": [m.pk for m in agency_team]}, "application/json"
    )
    assert response.status_code == 400 and "price" in response.json()
    response = client.post(url, {"price": "x", "proposal": "", "team_ids": []}, "application/json")
    assert response.status_code == 400 and {"price", "proposal"} <= set(response.json())
    response = client.post(
        url, {"price": "900000", "proposal": "方案", "team_ids": [1], "agency": other_agency.pk}, "application/json"
    )
    assert response.status_code == 400 and "agency" in response.json()
    pass_deadline(tender)
    response = client.post(
        url, {"price": "900000", "proposal": "方案", "team_ids": [m.pk for m in agency_team]}, "application/json"
    )
    assert response.status_code == 400 and "截止" in response.json()["non_field_errors"][0]
    assert not Bid.objects.exists()


def test_t2_api_only_agency_managers_submit(client, personas, tender):
    url = reverse("api-v1:procurement-tender-bid-list", args=[tender.pk])
    for role in (Role.BUREAU_ADMIN, Role.AGENCY_WORKER, Role.EXPERT):
        client.force_login(personas[role])
        response = client.post(url, {"price": "900000", "proposal": "x", "team_ids": [1]}, "application/json")
        assert response.status_code == 403


def _score_url(bid):
    return reverse("api-v1:procurement-bid-score-create", args=[bid.pk])


SHEET = {"price_score": "90", "proposal_score": "80", "team_score": "70", "past_score": "60", "comment": "好"}


def test_t3_api_scoring_before_declaring_is_403(client, expert_user, closed, drawn, bids):
    client.force_login(expert_user)
    response = client.post(_score_url(bids[0]), SHEET, "application/json")
    assert response.status_code == 403 and "声明" in response.json()["detail"]


def test_t4_api_score_range_lock_and_scope(client, expert_user, outsiders, personas, panel, bids):
    client.force_login(expert_user)
    response = client.post(_score_url(bids[0]), SHEET | {"team_score": "100.5"}, "application/json")
    assert response.status_code == 400 and list(response.json()) == ["team_score"]
    response = client.post(_score_url(bids[0]), SHEET, "application/json")
    assert response.status_code == 201 and response.json()["total"] == "76.50"
    response = client.post(_score_url(bids[0]), SHEET, "application/json")
    assert response.status_code == 400 and "不能修改" in response.json()["non_field_errors"][0]
    assert BidScore.objects.count() == 1
    for user in (outsiders[Role.EXPERT], personas[Role.BUREAU_ADMIN], personas[Role.AGENCY_MANAGER]):
        client.force_login(user)
        assert client.post(_score_url(bids[1]), SHEET, "application/json").status_code == 404


def test_api_bid_list_uses_constant_queries(client, bureau, tender, bids, round_2018, django_assert_max_num_queries):
    pass_deadline(tender)
    client.force_login(bureau)
    url = reverse("api-v1:procurement-tender-bid-list", args=[tender.pk])
    client.get(url)
    with django_assert_max_num_queries(8):
        client.get(url)
    for _ in range(4):
        BidFactory(tender=tender, agency=qualified_agency())
    with django_assert_max_num_queries(8):
        assert len(client.get(url).json()) == 6

"""T2 sealing: before the deadline nobody but the bidder reads a bid — not the bureau, the auditor, an
expert or another agency — on the pages, in the API, in downloads and in the Django admin. After it, the
bureau and the auditor see every bid (the bureau's page shows only the count before)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from directory.models import Role

from .helpers import PDF, pass_deadline, shows_amount, submit

pytestmark = pytest.mark.django_db

SEALED_READERS = [Role.BUREAU_ADMIN, Role.AUDITOR, Role.EXPERT, Role.TOWN_OFFICER, Role.EVALUATOR]


@pytest.fixture
def bid_with_file(tender, agency, agency_team, manager):
    upload = SimpleUploadedFile("方案.pdf", PDF, content_type="application/pdf")
    return submit(
        tender, agency, manager, agency_team, price="951234.00", proposal="密封的方案正文", proposal_file=upload
    )


@pytest.mark.parametrize("role", SEALED_READERS)
def test_t2_tender_page_hides_bids_before_the_deadline(client, personas, tender, bid_with_file, experts, role):
    client.force_login(personas[role])
    body = client.get(tender.get_absolute_url()).content.decode()
    assert not shows_amount(body, "951234") and "密封的方案正文" not in body
    assert reverse("procurement:bid-proposal", args=[bid_with_file.pk]) not in body


def test_t2_bureau_sees_only_the_bid_count_before_the_deadline(client, bureau, tender, bids):
    client.force_login(bureau)
    response = client.get(tender.get_absolute_url())
    body = response.content.decode()
    assert 'data-testid="sealed-count"' in body and "已收到 2 份投标" in body
    assert response.context["ranking"] == [] and response.context["own_bids"] == []
    for bid in bids:
        assert not shows_amount(body, bid.price)


def test_t2_other_agency_does_not_see_a_competitor_bid(client, other_manager, tender, bid_with_file, other_agency):
    client.force_login(other_manager)
    body = client.get(tender.get_absolute_url()).content.decode()
    assert not shows_amount(body, "951234")


def test_t2_bidder_sees_its_own_bid(client, personas, tender, bid_with_file):
    for role in (Role.AGENCY_MANAGER, Role.AGENCY_WORKER):
        client.force_login(personas[role])
        body = client.get(tender.get_absolute_url()).content.decode()
        assert shows_amount(body, "951234")


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.AUDITOR])
def test_t2_after_the_deadline_the_city_wide_roles_see_every_bid(client, personas, tender, bids, role):
    pass_deadline(tender)
    client.force_login(personas[role])
    body = client.get(tender.get_absolute_url()).content.decode()
    assert 'data-testid="ranking"' in body
    for bid in bids:
        assert shows_amount(body, bid.price) and bid.agency.organisation.name in body


def test_t2_after_the_deadline_an_agency_still_sees_only_its_own(client, other_manager, tender, bids):
    pass_deadline(tender)
    client.force_login(other_manager)
    body = client.get(tender.get_absolute_url()).content.decode()
    assert shows_amount(body, bids[1].price) and not shows_amount(body, bids[0].price)


# --- API ---------------------------------------------------------------------------------------------


def _api_bids(client, tender):
    return client.get(reverse("api-v1:procurement-tender-bid-list", args=[tender.pk]))


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.AUDITOR])
def test_t2_api_bids_sealed_for_the_bureau_before_the_deadline_and_open_after(client, personas, tender, bids, role):
    client.force_login(personas[role])
    response = _api_bids(client, tender)
    assert response.status_code == 200 and response.json() == []
    pass_deadline(tender)
    data = _api_bids(client, tender).json()
    assert {row["id"] for row in data} == {b.pk for b in bids}


def test_t2_api_bidder_sees_only_its_own(client, manager, other_manager, tender, bids):
    client.force_login(manager)
    assert [row["id"] for row in _api_bids(client, tender).json()] == [bids[0].pk]
    client.force_login(other_manager)
    assert [row["id"] for row in _api_bids(client, tender).json()] == [bids[1].pk]


def test_t2_api_expert_not_on_the_panel_is_refused(client, personas, outsiders, tender, bids, experts):
    for user in (personas[Role.EXPERT], personas[Role.TOWN_OFFICER], outsiders[Role.EVALUATOR]):
        client.force_login(user)
        assert _api_bids(client, tender).status_code == 403
    pass_deadline(tender)
    client.force_login(personas[Role.EXPERT])
    assert _api_bids(client, tender).status_code == 403  # not drawn


def test_t2_api_declared_expert_reads_the_bids_after_the_deadline(client, panel, bids, closed, expert_user):
    client.force_login(expert_user)
    assert {row["id"] for row in _api_bids(client, closed).json()} == {b.pk for b in bids}


# --- the attachment ------------------------------------------------------------------------------------


def test_t2_proposal_download_is_sealed_too(client, personas, other_manager, tender, bid_with_file):
    url = reverse("procurement:bid-proposal", args=[bid_with_file.pk])
    client.force_login(personas[Role.AGENCY_MANAGER])
    response = client.get(url)
    assert response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF-")
    assert response["Content-Type"] == "application/pdf"
    for user in (personas[Role.BUREAU_ADMIN], personas[Role.AUDITOR], other_manager):
        client.force_login(user)
        assert client.get(url).status_code == 404
    pass_deadline(tender)
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert client.get(url).status_code == 200
    client.force_login(other_manager)
    assert client.get(url).status_code == 404


def test_t2_proposal_download_is_private_and_a_lost_file_is_a_404(client, personas, tender, bid_with_file):
    url = reverse("procurement:bid-proposal", args=[bid_with_file.pk])
    client.force_login(personas[Role.AGENCY_MANAGER])
    response = client.get(url)
    assert response["Cache-Control"] == "private, no-store" and response["X-Content-Type-Options"] == "nosniff"
    bid_with_file.proposal_file.storage.delete(bid_with_file.proposal_file.name)
    assert client.get(url).status_code == 404  # not a 500


def test_t2_attachment_has_no_public_url(bid_with_file, settings):
    assert not bid_with_file.proposal_file.url.startswith("/media/")
    assert str(settings.MEDIA_ROOT) in bid_with_file.proposal_file.path


# --- the Django admin ------------------------------------------------------------------------------------


def test_t2_admin_hides_bids_and_scores_before_the_deadline(client, bureau, tender, bid_with_file):
    client.force_login(bureau)
    changelist = client.get(reverse("admin:procurement_bid_changelist"))
    assert changelist.status_code == 200
    assert not shows_amount(changelist.content.decode(), "951234")
    assert changelist.context["cl"].result_count == 0
    change = client.get(reverse("admin:procurement_bid_change", args=[bid_with_file.pk]))
    assert change.status_code == 302  # "doesn't exist": back to the admin index
    assert client.get(reverse("admin:procurement_bidscore_changelist")).context["cl"].result_count == 0
    tender_page = client.get(reverse("admin:procurement_tender_change", args=[tender.pk]))
    assert tender_page.status_code == 200
    assert not shows_amount(tender_page.content.decode(), "951234")


def test_t2_admin_shows_bids_after_the_deadline(client, bureau, tender, bid_with_file):
    pass_deadline(tender)
    client.force_login(bureau)
    assert client.get(reverse("admin:procurement_bid_changelist")).context["cl"].result_count == 1
    assert shows_amount(
        client.get(reverse("admin:procurement_bid_change", args=[bid_with_file.pk])).content.decode(), "951234"
    )
    assert shows_amount(
        client.get(reverse("admin:procurement_tender_change", args=[tender.pk])).content.decode(), "951234"
    )

"""Bad input on any page or endpoint gets a clear 400 or form error and changes nothing — never a 500: the NUL
character, oversized API pages, the API's OPTIONS and HTML requests, a CSV field over the csv module's limit,
ids of thousands of digits, and dates in the year 9999."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from delivery.models import FocusIssue
from directory.models import Role
from procurement.models import ServicePackage, StaffMember, Tender
from procurement.services import packages as package_services
from procurement.services import tenders as tender_services
from tests.procurement.factories import TenderFactory, team

pytestmark = pytest.mark.django_db


# --- NUL -------------------------------------------------------------------------------------------


def test_a_form_field_with_nul_is_refused_with_400_and_nothing_changes(client, personas, package):
    client.force_login(personas[Role.DISTRICT_OFFICER])
    response = client.post(reverse("procurement:package-cosign", args=[package.pk]), {"comment": "同意\x00"})
    assert response.status_code == 400 and "NUL" in response.content.decode()
    package.refresh_from_db()
    assert package.cosigned_at is None


def test_a_json_body_with_nul_is_refused_with_400_and_nothing_changes(client, personas, world, package):
    client.force_login(personas[Role.COMMUNITY_OFFICER])
    response = client.post(
        reverse("api-v1:delivery-focus-issue-list"),
        {"community": world.communities_a1[0].pk, "kind": "other", "title": "a\u0000b", "description": "d"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "NUL" in response.json()["detail"]
    assert not FocusIssue.objects.exists()


def test_a_query_string_with_nul_is_refused_with_400(client, personas):
    client.force_login(personas[Role.AGENCY_MANAGER])
    assert client.get(reverse("catalog:item-list"), {"q": "养老\x00"}).status_code == 400
    assert client.get(reverse("catalog:item-list"), {"q": "养老"}).status_code == 200


def test_uploaded_file_contents_may_hold_nul_bytes(client, manager_client_and_agency):
    client, agency = manager_client_and_agency
    csv = "姓名,身份证号\n".encode() + b"\x00"  # a broken CSV: refused by the import, not by the NUL guard
    response = client.post(
        reverse("procurement:staff-import", args=[agency.pk]), {"file": SimpleUploadedFile("r.csv", csv)}
    )
    assert response.status_code == 400  # the form, with the import's own message
    assert "NUL）" not in response.content.decode()  # the guard did not answer: the import's own message did


# --- API paging, OPTIONS, HTML ---------------------------------------------------------------------------


def test_api_limit_and_offset_beyond_any_table_are_capped(client, personas, round_2018, world):
    TenderFactory(round=round_2018, town=world.town_a1)
    client.force_login(personas[Role.BUREAU_ADMIN])
    url = reverse("api-v1:procurement-tender-list")
    assert client.get(url, {"limit": "99999999999999999999"}).json()["count"] == 1
    response = client.get(url, {"limit": "10", "offset": "99999999999999999999"})
    assert response.status_code == 200 and response.json()["results"] == []


def test_api_options_and_html_requests_are_not_errors(client, personas, round_2018, world):
    tender = TenderFactory(round=round_2018, town=world.town_a1)
    client.force_login(personas[Role.COMMUNITY_OFFICER])
    url = reverse("api-v1:procurement-tender-bid-list", args=[tender.pk])
    assert client.options(url).status_code == 405
    assert client.get(url, HTTP_ACCEPT="text/html").status_code == 406


# --- CSV, ids, dates --------------------------------------------------------------------------------


@pytest.fixture
def manager_client_and_agency(client, personas, agency):
    client.force_login(personas[Role.AGENCY_MANAGER])
    return client, agency


def test_a_roster_csv_with_a_field_over_the_csv_limit_is_a_form_error(manager_client_and_agency):
    client, agency = manager_client_and_agency
    before = StaffMember.objects.filter(agency=agency).count()
    content = ("姓名,身份证号码\n" + "张三," + "9" * 200_000 + "\n").encode()
    response = client.post(
        reverse("procurement:staff-import", args=[agency.pk]), {"file": SimpleUploadedFile("roster.csv", content)}
    )
    assert response.status_code == 400 and "无法读取CSV文件" in response.content.decode()
    assert StaffMember.objects.filter(agency=agency).count() == before


def test_ids_of_thousands_of_digits_are_ignored_not_a_500(client, personas, round_2018, world, agency):
    tender = TenderFactory(round=round_2018, town=world.town_a1)
    members = team(agency)
    client.force_login(personas[Role.AGENCY_MANAGER])
    url = reverse("procurement:bid-team-check", args=[tender.pk])
    body = client.get(url, {"team_ids": ["9" * 5000, *[m.pk for m in members]]}).content.decode()
    assert 'data-ok="1"' in body  # the huge id is dropped, the real team still counts
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert client.get(reverse("procurement:package-create"), {"agency": "9" * 5000}).status_code == 200


def test_t1_a_service_start_in_the_year_9999_is_a_field_error(personas, round_2018, world):
    with pytest.raises(ValidationError) as exc:
        tender_services.tender_create(
            actor=personas[Role.BUREAU_ADMIN],
            round=round_2018,
            town=world.town_a1,
            title="未来的项目",
            service_starts_on=datetime.date(9999, 6, 1),
            bid_deadline=timezone.now() + datetime.timedelta(days=30),
        )
    assert "service_starts_on" in exc.value.message_dict
    assert not Tender.objects.filter(title="未来的项目").exists()


def test_p1_a_direct_package_in_the_year_9999_is_a_field_error(personas, round_2018, world, agency):
    members = team(agency)
    with pytest.raises(ValidationError) as exc:
        package_services.package_create_direct(
            actor=personas[Role.BUREAU_ADMIN],
            town=world.town_a2,
            agency=agency,
            round=round_2018,
            title="未来的项目包",
            starts_on=datetime.date(9999, 1, 1),
            ends_on=datetime.date(9999, 12, 31),
            annual_amount=Decimal("900000"),
            annual_ceiling=Decimal("1000000"),
            staff_ids=[m.pk for m in members],
        )
    assert "starts_on" in exc.value.message_dict
    assert not ServicePackage.objects.filter(title="未来的项目包").exists()

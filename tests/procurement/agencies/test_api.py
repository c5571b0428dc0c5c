"""API of agencies and rosters: scoped, masked unless bureau (D4), creation through the same service."""

import pytest
from django.urls import reverse

from directory.models import Role
from procurement.models import StaffMember
from tests.procurement.factories import CertificateFactory, StaffFactory, team

from .helpers import bad_check_char, days, rid


def staff_url(agency) -> str:
    return reverse("api-v1:procurement-staff-list", args=[agency.pk])


@pytest.mark.django_db
def test_api_agency_list_is_scoped(client, personas, outsiders, agency, other_agency):
    url = reverse("api-v1:procurement-agency-list")
    assert client.get(url).status_code == 403
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert {row["id"] for row in client.get(url).json()["results"]} == {agency.pk, other_agency.pk}
    client.force_login(outsiders[Role.AGENCY_MANAGER])
    data = client.get(url).json()
    assert [row["id"] for row in data["results"]] == [other_agency.pk]
    assert data["results"][0]["uscc"] == other_agency.organisation.uscc
    client.force_login(personas[Role.TOWN_OFFICER])
    assert client.get(url).json()["count"] == 0


@pytest.mark.django_db
def test_d4_api_roster_masks_resident_ids_for_everyone(client, personas, agency):
    staff = StaffFactory(agency=agency, name="何敏")
    CertificateFactory(staff=staff, number="API-1", expires_on=days(30))
    for role in (Role.AGENCY_MANAGER, Role.AUDITOR):
        client.force_login(personas[role])
        response = client.get(staff_url(agency))
        assert staff.resident_id not in response.content.decode()
        row = response.json()["results"][0]
        assert row["resident_id"] == staff.resident_id_masked
        assert row["certificates"] == [
            {
                "level": "assistant",
                "number": "API-1",
                "issued_on": "2019-06-01",
                "expires_on": days(30).isoformat(),
                "is_valid": True,
            }
        ]
    client.force_login(personas[Role.BUREAU_ADMIN])
    response = client.get(staff_url(agency))
    assert staff.resident_id not in response.content.decode()
    assert response.json()["results"][0]["resident_id"] == staff.resident_id_masked


@pytest.mark.django_db
def test_api_roster_refuses_outsiders_and_workers(client, personas, outsiders, agency):
    assert client.get(staff_url(agency)).status_code == 403  # anonymous
    client.force_login(outsiders[Role.AGENCY_MANAGER])
    assert client.get(staff_url(agency)).status_code == 404
    client.force_login(personas[Role.TOWN_OFFICER])
    assert client.get(staff_url(agency)).status_code == 404
    client.force_login(personas[Role.AGENCY_WORKER])
    assert client.get(staff_url(agency)).status_code == 403


@pytest.mark.django_db
def test_api_creates_a_staff_member_through_the_service(client, manager, agency):
    client.force_login(manager)
    data = {"name": "罗杰", "resident_id": rid(5), "employed_from": "2022-02-01", "is_full_time": False}
    response = client.post(staff_url(agency), data, content_type="application/json")
    assert response.status_code == 201
    body = response.json()
    assert body["resident_id"] == StaffMember.objects.get(pk=body["id"]).resident_id_masked
    assert body["is_full_time"] is False and body["certificates"] == []


@pytest.mark.django_db
def test_api_create_returns_field_errors_on_bad_input(client, manager, agency):
    client.force_login(manager)
    response = client.post(
        staff_url(agency),
        {"name": "罗杰", "resident_id": bad_check_char(rid(5)), "employed_from": "2022-02-01"},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"resident_id": ["居民身份证号码校验位错误，请核对后重新输入。"]}
    response = client.post(staff_url(agency), {"name": "罗杰"}, content_type="application/json")
    assert response.status_code == 400
    assert set(response.json()) == {"resident_id", "employed_from"}
    response = client.post(
        staff_url(agency),
        {"name": "罗杰", "resident_id": rid(5), "employed_from": "2022-02-01", "employed_until": "2021-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "employed_until" in response.json()
    assert not StaffMember.objects.filter(agency=agency).exists()


@pytest.mark.django_db
def test_api_create_is_for_the_manager_and_the_bureau_only(client, personas, outsiders, agency):
    data = {"name": "罗杰", "resident_id": rid(6), "employed_from": "2022-02-01"}
    client.force_login(personas[Role.AUDITOR])
    assert client.post(staff_url(agency), data, content_type="application/json").status_code == 403
    client.force_login(outsiders[Role.AGENCY_MANAGER])
    assert client.post(staff_url(agency), data, content_type="application/json").status_code == 404
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert client.post(staff_url(agency), data, content_type="application/json").status_code == 201


@pytest.mark.django_db
def test_api_roster_query_count_is_constant(client, manager, agency, django_assert_max_num_queries):
    team(agency, full_time=3, certified=2)
    client.force_login(manager)
    client.get(staff_url(agency))
    with django_assert_max_num_queries(7):
        assert client.get(staff_url(agency)).json()["count"] == 3
    team(agency, full_time=30, certified=25)
    with django_assert_max_num_queries(7):
        assert client.get(staff_url(agency), {"limit": 100}).json()["count"] == 33
    assert client.get(staff_url(agency), {"status": "ended"}).json()["count"] == 0


@pytest.mark.django_db
def test_api_schema_lists_the_agency_endpoints(client, bureau_admin):
    client.force_login(bureau_admin)
    response = client.get(reverse("api-v1:schema"))
    assert response.status_code == 200
    assert b"/api/v1/procurement/agencies/{id}/staff/" in response.content

"""Regressions found in review: a double click that adds the same person (or certificate) twice at the same
moment gets the duplicate message on the form, not a 500 from the unique constraint. The race is staged by
letting the "other request" save its row right after this one's uniqueness check. And the query count of the
API's agency list, which had none pinned."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procurement.models import Agency, Certificate, StaffMember
from procurement.services import agencies as services
from tests.procurement.factories import StaffFactory, qualified_agency

from .helpers import rid

pytestmark = pytest.mark.django_db

STAFF = {"name": "李静", "resident_id": rid(1), "is_full_time": "on", "employed_from": "2021-03-01"}
CERTIFICATE = {"level": "intermediate", "number": "ZS2021-001", "issued_on": "2021-06-01", "expires_on": "2027-06-01"}


def test_concurrent_duplicate_person_is_a_form_error(client, manager, agency, monkeypatch):
    check = services.staff_member_clean

    def check_then_lose_the_race(staff):
        check(staff)
        StaffMember.objects.create(
            agency=staff.agency, name=staff.name, resident_id=staff.resident_id, employed_from=datetime.date(2021, 3, 1)
        )

    monkeypatch.setattr(services, "staff_member_clean", check_then_lose_the_race)
    client.force_login(manager)
    response = client.post(reverse("procurement:staff-create", args=[agency.pk]), STAFF)
    assert response.status_code == 200
    assert response.context["form"].errors["resident_id"] == ["本机构名册中已有该身份证号码的人员。"]
    assert StaffMember.objects.filter(agency=agency).count() == 0  # the whole request rolled back


def test_concurrent_duplicate_certificate_is_a_form_error(client, manager, agency, monkeypatch):
    staff = StaffFactory(agency=agency)
    check = services.certificate_clean

    def check_then_lose_the_race(certificate):
        check(certificate)
        Certificate.objects.create(
            staff=staff,
            level="assistant",
            number=certificate.number,
            issued_on=datetime.date(2020, 1, 1),
            expires_on=datetime.date(2030, 1, 1),
        )

    monkeypatch.setattr(services, "certificate_clean", check_then_lose_the_race)
    client.force_login(manager)
    response = client.post(reverse("procurement:certificate-create", args=[staff.pk]), CERTIFICATE)
    assert response.status_code == 200
    assert response.context["form"].errors["number"] == ["证书编号“ZS2021-001”已登记，请核对；同一证书不能登记两次。"]


def test_agency_list_api_uses_a_constant_number_of_queries(client, bureau_admin, agency, django_assert_max_num_queries):
    """Not pinned before: the API's agency list."""
    client.force_login(bureau_admin)
    url = reverse("api-v1:procurement-agency-list")
    counts = []
    for rows in (1, 8):
        for _ in range(Agency.objects.count(), rows):
            qualified_agency()
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(5):
            assert client.get(url).json()["count"] == rows
        counts.append(len(queries))
    assert counts[0] == counts[1]

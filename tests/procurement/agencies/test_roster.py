"""The staff roster in the browser: add, edit, end employment, certificates; D4 masking and Q5 badges."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.models import Role
from procurement.models import Certificate, StaffMember
from procurement.services.agencies import (
    certificate_create,
    certificate_update,
    staff_member_create,
    staff_member_update,
)
from tests.procurement.factories import CertificateFactory, RoundFactory, StaffFactory, team

from .helpers import bad_check_char, days, rid

STAFF = {
    "name": "李静",
    "resident_id": rid(1),
    "phone": "13912345678",
    "is_full_time": "on",
    "employed_from": "2021-03-01",
    "employed_until": "",
}


def roster(client, agency, **params):
    response = client.get(reverse("procurement:staff-list", args=[agency.pk]), params)
    assert response.status_code == 200
    return response


@pytest.mark.django_db
def test_manager_adds_a_person_and_a_certificate(client, manager, agency):
    client.force_login(manager)
    response = client.post(reverse("procurement:staff-create", args=[agency.pk]), STAFF)
    staff = StaffMember.objects.get(agency=agency, name="李静")
    assert response["Location"] == reverse("procurement:staff-detail", args=[staff.pk])
    assert staff.resident_id == rid(1) and staff.is_full_time
    response = client.post(
        reverse("procurement:certificate-create", args=[staff.pk]),
        {"level": "intermediate", "number": "ZS2021-001", "issued_on": "2021-06-01", "expires_on": "2027-06-01"},
    )
    assert response.status_code == 302
    body = client.get(reverse("procurement:staff-detail", args=[staff.pk])).content.decode()
    assert "ZS2021-001" in body and "社会工作师" in body


@pytest.mark.django_db
def test_d4_staff_form_refuses_a_bad_resident_id_with_a_message(client, manager, agency):
    client.force_login(manager)
    response = client.post(
        reverse("procurement:staff-create", args=[agency.pk]), {**STAFF, "resident_id": bad_check_char(rid(1))}
    )
    assert response.status_code == 200
    assert "居民身份证号码校验位错误" in response.content.decode()
    assert not StaffMember.objects.filter(agency=agency).exists()


@pytest.mark.django_db
def test_staff_service_messages_for_duplicates_dates_and_phone(manager, agency):
    staff_member_create(actor=manager, agency=agency, name="甲", resident_id=rid(2), employed_from=days(-100))
    with pytest.raises(ValidationError) as exc:
        staff_member_create(
            actor=manager,
            agency=agency,
            name="乙",
            resident_id=rid(2).lower(),
            phone="abc",
            employed_from=days(-10),
            employed_until=days(-20),
        )
    errors = exc.value.message_dict
    assert errors["resident_id"] == ["本机构名册中已有该身份证号码的人员。"]
    assert errors["employed_until"] == ["离职日期不能早于入职日期。"]
    assert errors["phone"] == ["手机号格式不正确。"]
    assert rid(2) not in str(errors)  # D4: never echoed back


@pytest.mark.django_db
def test_same_person_may_be_on_two_agencies_rosters(manager, outsiders, agency, other_agency):
    staff_member_create(actor=manager, agency=agency, name="甲", resident_id=rid(3), employed_from=days(-100))
    staff_member_create(
        actor=outsiders[Role.AGENCY_MANAGER], agency=other_agency, name="甲", resident_id=rid(3), employed_from=days(-9)
    )
    assert StaffMember.objects.filter(resident_id=rid(3)).count() == 2


@pytest.mark.django_db
def test_manager_cannot_touch_another_agencys_roster(client, manager, other_agency):
    other = StaffFactory(agency=other_agency)
    with pytest.raises(PermissionDenied):
        staff_member_create(actor=manager, agency=other_agency, name="甲", resident_id=rid(4), employed_from=days(-1))
    with pytest.raises(PermissionDenied):
        staff_member_update(actor=manager, staff=other, name="乙")
    client.force_login(manager)
    assert client.post(reverse("procurement:staff-update", args=[other.pk]), STAFF).status_code == 404
    assert client.post(reverse("procurement:staff-end", args=[other.pk]), {"on": "2024-01-01"}).status_code == 404
    assert client.get(reverse("procurement:staff-list", args=[other_agency.pk])).status_code == 404


@pytest.mark.django_db
def test_editing_with_a_blank_resident_id_keeps_the_stored_one(client, manager, agency):
    staff = StaffFactory(agency=agency, name="王敏")
    stored = staff.resident_id
    client.force_login(manager)
    url = reverse("procurement:staff-update", args=[staff.pk])
    form = client.get(url).context["form"]
    assert form.initial["resident_id"] == "" and staff.resident_id_masked in str(form["resident_id"].help_text)
    response = client.post(url, {**STAFF, "name": "王敏敏", "resident_id": "", "is_full_time": ""})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.resident_id == stored and staff.name == "王敏敏" and not staff.is_full_time


@pytest.mark.django_db
def test_ending_employment_drops_the_person_from_the_current_roster(client, manager, agency):
    staff = StaffFactory(agency=agency, name="赵强", employed_from=days(-400))
    client.force_login(manager)
    response = client.post(reverse("procurement:staff-end", args=[staff.pk]), {"on": days(-1).isoformat()})
    assert response.status_code == 302
    staff.refresh_from_db()
    assert staff.employed_until == days(-1)
    assert staff not in roster(client, agency).context["staff"]
    assert staff in roster(client, agency, status="ended").context["staff"]
    before = client.post(reverse("procurement:staff-end", args=[staff.pk]), {"on": days(-500).isoformat()}, follow=True)
    assert "离职日期不能早于入职日期" in before.content.decode()


@pytest.mark.django_db
def test_certificate_messages_for_duplicate_number_and_dates(manager, agency, other_agency):
    mine = StaffFactory(agency=agency)
    CertificateFactory(staff=StaffFactory(agency=other_agency), number="ZS-TAKEN")
    with pytest.raises(ValidationError) as exc:
        certificate_create(
            actor=manager, staff=mine, level="assistant", number="zs-taken", issued_on=days(5), expires_on=days(1)
        )
    errors = exc.value.message_dict
    assert "证书编号“zs-taken”已登记" in errors["number"][0]
    assert errors["issued_on"] == ["发证日期不能晚于今天。"]
    assert errors["expires_on"] == ["证书有效期应晚于发证日期。"]
    with pytest.raises(ValidationError) as exc:
        certificate_create(
            actor=manager, staff=mine, level="master", number="ZS-NEW", issued_on=days(-5), expires_on=days(100)
        )
    assert "level" in exc.value.message_dict


@pytest.mark.django_db
def test_certificate_renewal_through_the_page(client, manager, agency):
    certificate = CertificateFactory(staff=StaffFactory(agency=agency), expires_on=days(10))
    client.force_login(manager)
    url = reverse("procurement:certificate-update", args=[certificate.pk])
    data = {"level": "assistant", "number": certificate.number, "issued_on": "2019-06-01", "expires_on": "2030-06-01"}
    assert client.post(url, data).status_code == 302
    certificate.refresh_from_db()
    assert certificate.expires_on.isoformat() == "2030-06-01"
    with pytest.raises(PermissionDenied):
        certificate_update(actor=_other_manager(), certificate=certificate, level="senior")


def _other_manager():
    from tests.factories import MembershipFactory, OrganisationFactory, UserFactory

    user = UserFactory()
    MembershipFactory(user=user, organisation=OrganisationFactory(), role=Role.AGENCY_MANAGER)
    return user


@pytest.mark.django_db
def test_d4_roster_list_masks_resident_ids_for_everyone_even_the_bureau(client, personas, agency):
    staff = StaffFactory(agency=agency)
    for role in (Role.BUREAU_ADMIN, Role.AUDITOR, Role.AGENCY_MANAGER):
        client.force_login(personas[role])
        body = roster(client, agency).content.decode()
        assert staff.resident_id not in body
        assert staff.resident_id_masked in body


@pytest.mark.django_db
def test_d4_staff_detail_shows_the_full_id_to_the_bureau_only(client, personas, agency):
    staff = StaffFactory(agency=agency)
    url = reverse("procurement:staff-detail", args=[staff.pk])
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert client.get(url).context["resident_id"] == staff.resident_id
    for role in (Role.AUDITOR, Role.AGENCY_MANAGER):
        client.force_login(personas[role])
        body = client.get(url).content.decode()
        assert staff.resident_id not in body and staff.resident_id_masked in body
    client.force_login(personas[Role.BUREAU_ADMIN])
    edit = client.get(reverse("procurement:staff-update", args=[staff.pk]))
    assert edit.context["form"].initial["resident_id"] == staff.resident_id


@pytest.mark.django_db
def test_q5_certificate_expiring_within_60_days_warns_on_the_roster(client, manager, agency, round_2018):
    staff = StaffFactory(agency=agency, name="孙婷")
    CertificateFactory(staff=staff, expires_on=days(30))
    client.force_login(manager)
    response = roster(client, agency)
    body = response.content.decode()
    assert 'data-q5="expiring"' in body and "60天内到期" in body
    summary = response.context["staffing"]
    assert summary.certified == 1
    assert any("孙婷" in w and days(30).isoformat() in w for w in summary.warnings)
    detail = client.get(reverse("procurement:staff-detail", args=[staff.pk])).content.decode()
    assert 'data-q5="expiring"' in detail


@pytest.mark.django_db
def test_q5_expired_certificate_no_longer_counts(client, manager, agency, round_2018):
    staff = StaffFactory(agency=agency, name="钱军")
    CertificateFactory(staff=staff, issued_on=days(-2000), expires_on=days(-1))
    client.force_login(manager)
    response = roster(client, agency)
    body = response.content.decode()
    assert 'data-q5="expired"' in body and "已过期" in body
    assert response.context["staffing"].full_time == 1
    assert response.context["staffing"].certified == 0
    detail = client.get(reverse("procurement:staff-detail", args=[staff.pk])).content.decode()
    assert "不计入持证社工" in detail


@pytest.mark.django_db
def test_roster_measures_the_team_against_the_current_round(client, manager, agency, edition_2018):
    RoundFactory()
    team(agency, full_time=6, certified=2)
    client.force_login(manager)
    response = roster(client, agency)
    staffing = response.context["staffing"]
    assert (staffing.full_time, staffing.certified) == (6, 2)
    body = response.content.decode()
    assert "每个项目包至少 9 名专职人员" in body and "✘" in body


@pytest.mark.django_db
def test_roster_search_and_htmx_partial(client, manager, agency):
    StaffFactory(agency=agency, name="周杰")
    StaffFactory(agency=agency, name="吴艳")
    client.force_login(manager)
    assert [s.name for s in roster(client, agency, q="周").context["staff"]] == ["周杰"]
    response = client.get(reverse("procurement:staff-list", args=[agency.pk]), {"q": "吴"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "吴艳" in body and "周杰" not in body
    assert client.get(reverse("procurement:staff-list", args=[agency.pk]), {"status": "moon"}).status_code == 200


@pytest.mark.django_db
def test_roster_list_query_count_is_constant(client, manager, agency, round_2018, django_assert_max_num_queries):
    team(agency, full_time=3, certified=2)
    client.force_login(manager)
    url = reverse("procurement:staff-list", args=[agency.pk])
    client.get(url)
    with django_assert_max_num_queries(11):
        assert len(client.get(url).context["staff"]) == 3
    team(agency, full_time=25, certified=20, part_time=5)
    with django_assert_max_num_queries(11):
        assert len(client.get(url).context["staff"]) == 33


@pytest.mark.django_db
def test_certificates_of_an_agency_are_not_reachable_by_another(client, outsiders, agency):
    certificate = CertificateFactory(staff=StaffFactory(agency=agency))
    client.force_login(outsiders[Role.AGENCY_MANAGER])
    url = reverse("procurement:certificate-update", args=[certificate.pk])
    assert client.post(url, {"level": "senior"}).status_code == 404
    assert Certificate.objects.get(pk=certificate.pk).level == "assistant"

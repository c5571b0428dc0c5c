"""The agency profile: creating and editing it (D3 on the USCC), and what it says about Q1 and Q5."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.models import Role
from procurement.models import Agency
from procurement.rules import qualification_check
from procurement.services.agencies import agency_profile_create, agency_profile_update
from tests.procurement.factories import AgencyFactory, QualificationFactory

from .helpers import days

PROFILE = {
    "uscc": "",
    "registration_authority": "苏州市姑苏区民政局",
    "registration_authority_level": "county",
    "registration_number": "苏民证字第000123号",
    "registered_on": "2016-05-01",
    "registration_valid_until": "2030-04-30",
    "legal_representative": "周主任",
    "address": "苏州市姑苏区十全街100号",
    "contact_name": "周主任",
    "contact_phone": "0512-65000001",
    "email": "office@example.cn",
}


def detail(client, agency) -> str:
    response = client.get(reverse("procurement:agency-detail", args=[agency.pk]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_manager_without_a_profile_is_offered_to_create_one(client, world, manager):
    client.force_login(manager)
    body = client.get(reverse("procurement:agency-mine")).content.decode()
    create_url = reverse("procurement:agency-create", args=[world.agency.pk])
    assert create_url in body
    response = client.post(create_url, {**PROFILE, "uscc": world.agency.uscc})
    agency = Agency.objects.get(organisation=world.agency)
    assert response["Location"] == agency.get_absolute_url()
    assert agency.registration_number == "苏民证字第000123号"
    assert agency.organisation.address == "苏州市姑苏区十全街100号"
    # Q1: registered, but no approved qualification yet.
    body = detail(client, agency)
    assert 'data-q1="fail"' in body and "没有在有效期内的承接资格" in body
    assert reverse("procurement:qualification-create", args=[agency.pk]) in body


@pytest.mark.django_db
def test_profile_cannot_be_created_twice_or_by_an_outsider(client, world, manager, outsiders, agency):
    create_url = reverse("procurement:agency-create", args=[world.agency.pk])
    client.force_login(manager)
    assert client.get(create_url).status_code == 404
    bare = world.other_agency
    client.force_login(manager)
    assert client.get(reverse("procurement:agency-create", args=[bare.pk])).status_code == 404
    with pytest.raises(PermissionDenied):
        agency_profile_create(actor=manager, organisation=bare, **{**PROFILE, "uscc": bare.uscc})
    with pytest.raises(ValidationError, match="已有机构档案"):
        agency_profile_create(actor=None, organisation=world.agency, **{**PROFILE, "uscc": world.agency.uscc})


@pytest.mark.django_db
def test_d3_profile_refuses_an_invalid_uscc_with_a_message(client, manager, agency):
    client.force_login(manager)
    url = reverse("procurement:agency-update", args=[agency.pk])
    bad = agency.organisation.uscc[:17] + ("0" if agency.organisation.uscc[17] != "0" else "1")
    response = client.post(url, {**PROFILE, "uscc": bad})
    assert response.status_code == 200
    assert "统一社会信用代码校验位错误" in response.content.decode()
    agency.organisation.refresh_from_db()
    assert agency.organisation.uscc != bad


@pytest.mark.django_db
def test_manager_edits_the_profile_and_the_organisation(client, manager, agency):
    client.force_login(manager)
    url = reverse("procurement:agency-update", args=[agency.pk])
    assert client.get(url).context["form"].initial["uscc"] == agency.organisation.uscc
    response = client.post(
        url, {**PROFILE, "uscc": agency.organisation.uscc.lower(), "contact_phone": "13800000000", "email": "a@b.cn"}
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.email == "a@b.cn" and agency.organisation.contact_phone == "13800000000"
    assert agency.organisation.uscc == agency.organisation.uscc.upper()
    assert agency.history.count() >= 2


@pytest.mark.django_db
def test_registration_dates_must_be_ordered(client, manager, agency):
    client.force_login(manager)
    response = client.post(
        reverse("procurement:agency-update", args=[agency.pk]),
        {**PROFILE, "registered_on": "2020-01-01", "registration_valid_until": "2019-01-01"},
    )
    assert "登记证书有效期应晚于成立登记日期" in response.content.decode()
    with pytest.raises(ValidationError) as exc:
        agency_profile_update(actor=manager, agency=agency, registered_on=days(10))
    assert "registered_on" in exc.value.message_dict


@pytest.mark.django_db
def test_only_the_bureau_decides_whether_it_is_a_social_work_agency(manager, bureau_admin, agency):
    with pytest.raises(PermissionDenied):
        agency_profile_update(actor=manager, agency=agency, is_social_work_agency=False)
    agency_profile_update(actor=bureau_admin, agency=agency, is_social_work_agency=False)
    assert "不是专业社会工作服务机构" in qualification_check(Agency.objects.get(pk=agency.pk), on=days(0)).problems[0]


@pytest.mark.django_db
def test_worker_and_auditor_cannot_change_the_profile(personas, agency):
    for role in (Role.AGENCY_WORKER, Role.AUDITOR):
        with pytest.raises(PermissionDenied):
            agency_profile_update(actor=personas[role], agency=agency, email="x@y.cn")


@pytest.mark.django_db
def test_q1_qualified_agency_is_shown_as_able_to_bid(client, manager, agency):
    client.force_login(manager)
    body = detail(client, agency)
    assert 'data-q1="ok"' in body and "可以投标和承接服务项目包" in body


@pytest.mark.django_db
def test_q1_registration_authority_below_county_level(client, manager, agency):
    agency_profile_update(
        actor=manager, agency=agency, registration_authority="双塔街道", registration_authority_level="town"
    )
    client.force_login(manager)
    body = detail(client, agency)
    assert 'data-q1="fail"' in body and "登记机关须为县级以上民政部门" in body


@pytest.mark.django_db
def test_q1_registration_expired(client, manager, agency):
    agency_profile_update(actor=manager, agency=agency, registration_valid_until=days(-1))
    client.force_login(manager)
    body = detail(client, agency)
    assert 'data-q1="fail"' in body and f"登记证书已于 {days(-1).isoformat()} 过期" in body
    assert 'data-q5="expired"' in body


@pytest.mark.django_db
def test_q1_no_approved_qualification(client, world, manager):
    agency = AgencyFactory(organisation=world.agency)
    QualificationFactory(agency=agency, status="rejected", valid_from=None, valid_until=None, reason="材料不全")
    client.force_login(manager)
    body = detail(client, agency)
    assert 'data-q1="fail"' in body and "没有在有效期内的承接资格" in body


@pytest.mark.django_db
def test_q1_qualification_expired(client, world, manager):
    agency = AgencyFactory(organisation=world.agency)
    QualificationFactory(agency=agency, valid_from=days(-800), valid_until=days(-1))
    client.force_login(manager)
    body = detail(client, agency)
    assert 'data-q1="fail"' in body and "没有在有效期内的承接资格" in body
    client.force_login(manager)
    listing = client.get(reverse("procurement:agency-list")).content.decode()
    assert days(-1).isoformat() in listing and 'data-q5="expired"' in listing


@pytest.mark.django_db
def test_q5_qualification_and_registration_expiring_within_60_days_warn(client, world, manager):
    agency = AgencyFactory(organisation=world.agency, registration_valid_until=days(45))
    QualificationFactory(agency=agency, valid_from=days(-700), valid_until=days(20))
    client.force_login(manager)
    body = detail(client, agency)
    assert 'data-q1="ok"' in body
    assert f"承接资格将于 {days(20).isoformat()} 到期" in body
    assert f"登记证书将于 {days(45).isoformat()} 到期" in body


@pytest.mark.django_db
def test_agency_list_query_count_is_constant(client, bureau_admin, django_assert_max_num_queries):
    for _ in range(3):
        QualificationFactory()
    client.force_login(bureau_admin)
    url = reverse("procurement:agency-list")
    client.get(url)
    with django_assert_max_num_queries(5):
        assert len(client.get(url).context["agencies"]) == 3
    for _ in range(12):
        QualificationFactory(agency__registration_valid_until=datetime.date(2099, 1, 1))
    with django_assert_max_num_queries(5):
        assert len(client.get(url).context["agencies"]) == 15

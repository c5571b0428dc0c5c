"""Home-page sections (Q5 warnings, Q6 queue and decisions), the admin, and the demo seeder."""

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from core.demo import DemoContext
from core.uploads import sniff_upload
from directory.demo import seed_directory
from directory.models import Role
from procurement.demo import seed_agencies, tiny_pdf
from procurement.models import Agency, Certificate, QualificationApplication, StaffMember
from procurement.rules import Thresholds, qualification_check, staffing_check
from tests.procurement.factories import CertificateFactory, QualificationFactory, StaffFactory

from .helpers import days, upload


def home(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("directory:home")).content.decode()


@pytest.mark.django_db
def test_q5_manager_home_warns_about_expiring_and_expired_certificates(client, manager, agency):
    CertificateFactory(staff=StaffFactory(agency=agency, name="高洁"), expires_on=days(30))
    CertificateFactory(staff=StaffFactory(agency=agency, name="马勇"), issued_on=days(-900), expires_on=days(-3))
    CertificateFactory(staff=StaffFactory(agency=agency, name="林强"), expires_on=days(500))
    body = home(client, manager)
    assert "资格与证书到期提醒" in body
    assert f"高洁 的社工证书将于 {days(30).isoformat()} 到期" in body
    assert f"马勇 的社工证书已于 {days(-3).isoformat()} 过期" in body
    assert "林强" not in body


@pytest.mark.django_db
def test_q5_manager_home_warns_about_qualification_expiry_and_missing_profile(client, world, manager):
    body = home(client, manager)
    assert "尚未建立机构档案" in body
    assert reverse("procurement:agency-create", args=[world.agency.pk]) in body
    agency = QualificationFactory(agency__organisation=world.agency, valid_until=days(15)).agency
    body = home(client, manager)
    assert f"承接资格将于 {days(15).isoformat()} 到期" in body
    assert agency.get_absolute_url() in body


@pytest.mark.django_db
def test_agency_sections_are_not_shown_to_other_roles(client, personas, outsiders, agency, pending_application):
    CertificateFactory(staff=StaffFactory(agency=agency, name="高洁"), expires_on=days(30))
    for user in (personas[Role.TOWN_OFFICER], personas[Role.AUDITOR], outsiders[Role.AGENCY_MANAGER]):
        body = home(client, user)
        assert "高洁" not in body and "待审核的资格申请" not in body


@pytest.mark.django_db
def test_admin_lists_staff_with_masked_resident_ids(client, bureau_admin, agency):
    staff = StaffFactory(agency=agency, name="胡静")
    client.force_login(bureau_admin)
    body = client.get(reverse("admin:procurement_staffmember_changelist"), {"q": "胡静"}).content.decode()
    assert staff.resident_id_masked in body and staff.resident_id not in body


@pytest.mark.django_db
def test_q6_admin_action_asks_for_a_reason_then_approves(client, bureau_admin, pending_application):
    client.force_login(bureau_admin)
    url = reverse("admin:procurement_qualificationapplication_changelist")
    selection = {"action": "approve", ACTION_CHECKBOX_NAME: [pending_application.pk]}
    response = client.post(url, selection)
    assert response.status_code == 200 and "通过或不通过都需要书面审核意见" in response.content.decode()
    response = client.post(url, {**selection, "decide": "1", "reason": ""})
    assert response.status_code == 200
    pending_application.refresh_from_db()
    assert pending_application.status == "submitted"
    response = client.post(url, {**selection, "decide": "1", "reason": "同意", "valid_until": days(100).isoformat()})
    assert response.status_code == 302
    pending_application.refresh_from_db()
    assert pending_application.status == "approved" and pending_application.valid_until == days(100)


@pytest.mark.django_db
def test_q6_admin_reject_action_records_the_reason(client, bureau_admin, pending_application):
    client.force_login(bureau_admin)
    url = reverse("admin:procurement_qualificationapplication_changelist")
    selection = {"action": "reject", ACTION_CHECKBOX_NAME: [pending_application.pk], "decide": "1"}
    client.post(url, {**selection, "reason": "登记证书已过期"})
    pending_application.refresh_from_db()
    assert (pending_application.status, pending_application.reason) == ("rejected", "登记证书已过期")
    change = client.get(reverse("admin:procurement_qualificationapplication_change", args=[pending_application.pk]))
    body = change.content.decode()
    assert reverse("procurement:qualification-file", args=[pending_application.pk, "audit_report"]) in body
    assert "/nonexistent-public-media/" not in body


@pytest.mark.django_db
def test_admin_staff_form_shows_service_messages(client, bureau_admin, agency):
    StaffFactory(agency=agency, resident_id="320506197102110019")
    client.force_login(bureau_admin)
    response = client.post(
        reverse("admin:procurement_staffmember_add"),
        {
            "agency": agency.pk,
            "name": "重复",
            "resident_id": "320506197102110019",
            "is_full_time": "on",
            "employed_from": "2020-01-01",
        },
    )
    assert response.status_code == 200
    assert "本机构名册中已有该身份证号码的人员" in response.content.decode()


@pytest.mark.django_db
def test_seed_agencies_is_idempotent_and_shows_a_failing_team(edition_2018):
    for _run in range(2):
        ctx = DemoContext()
        seed_directory(ctx)
        seed_agencies(ctx)
    assert Agency.objects.count() == 3
    today = days(0)
    thresholds = Thresholds(min_full_time_staff=9, min_certified_share=50)
    results = {}
    for key in ("agency", "agency_2", "agency_3"):
        agency = Agency.objects.get(organisation=ctx.organisations[key])
        assert qualification_check(agency, on=today).ok
        assert agency.qualifications.count() == 1
        results[key] = staffing_check(agency.staff.all(), on=today, thresholds=thresholds)
    assert (results["agency"].full_time, results["agency"].certified) == (11, 6)
    assert results["agency"].ok and results["agency_2"].ok
    assert not results["agency_3"].ok and any("专职人员" in p for p in results["agency_3"].problems)
    assert any("到期" in w for w in results["agency"].warnings)
    assert StaffMember.objects.count() == 28 and Certificate.objects.count() == 15
    application = QualificationApplication.objects.first()
    with application.registration_certificate.open("rb") as stored:
        assert sniff_upload(upload("r.pdf", stored.read()), check_name=True)[0] == "application/pdf"


def test_tiny_pdf_is_a_pdf():
    content = tiny_pdf("Demo")
    assert content.startswith(b"%PDF-1.4") and content.rstrip().endswith(b"%%EOF")

"""Q6: the agency applies with documents and a roster snapshot; the bureau approves with a reason and a
validity period or rejects with a reason; the agency reads the decision. Documents are served by permission."""

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from directory.models import Role
from procurement.models import QualificationApplication
from procurement.rules import qualification_check
from procurement.services.agencies import qualification_apply, qualification_approve, qualification_reject
from tests.procurement.factories import AgencyFactory, QualificationFactory, StaffFactory

from .helpers import EXE, JPG, PDF, days, documents, read_xlsx, upload


def apply(client, agency, **files):
    return client.post(
        reverse("procurement:qualification-create", args=[agency.pk]), {**documents(**files), "note": "申请说明"}
    )


@pytest.fixture
def unqualified(world):
    """The personas' agency with a profile but no qualification yet."""
    return AgencyFactory(organisation=world.agency)


@pytest.mark.django_db
def test_q6_manager_applies_with_documents_and_the_roster_is_snapshotted(client, manager, unqualified):
    staff = StaffFactory(agency=unqualified, name="李静")
    client.force_login(manager)
    response = apply(client, unqualified)
    application = QualificationApplication.objects.get(agency=unqualified)
    assert response["Location"] == reverse("procurement:qualification-detail", args=[application.pk])
    assert application.status == "submitted" and application.submitted_by == manager
    assert application.registration_certificate.name.endswith(".pdf")
    assert application.audit_report.name.endswith(".png")
    with application.roster_file.open("rb") as stored:
        snapshot = read_xlsx(stored.read())
    assert snapshot[1][:2] == ["李静", staff.resident_id]  # stored in full for the bureau
    body = client.get(reverse("procurement:agency-detail", args=[unqualified.pk])).content.decode()
    assert "有一份资格申请待审核" in body


@pytest.mark.django_db
def test_q6_only_one_open_application_at_a_time(client, manager, unqualified):
    qualification_apply(actor=manager, agency=unqualified, **documents())
    with pytest.raises(ValidationError, match="已有一份待审核的资格申请"):
        qualification_apply(actor=manager, agency=unqualified, **documents())
    client.force_login(manager)
    response = client.get(reverse("procurement:qualification-create", args=[unqualified.pk]))
    assert 'data-testid="pending"' in response.content.decode()
    apply(client, unqualified)
    assert unqualified.qualifications.count() == 1


@pytest.mark.django_db
def test_q6_executable_renamed_pdf_is_refused(client, manager, unqualified):
    client.force_login(manager)
    response = apply(client, unqualified, audit_report=upload("audit.pdf", EXE, "application/pdf"))
    assert response.status_code == 400
    assert "文件内容不是 JPG/PNG/PDF" in response.content.decode()
    assert not unqualified.qualifications.exists()


@pytest.mark.django_db
def test_q6_documents_are_checked_by_content_and_size(manager, unqualified):
    with pytest.raises(ValidationError) as exc:
        qualification_apply(
            actor=manager,
            agency=unqualified,
            registration_certificate=upload("scan.png", JPG),
            audit_report=upload("big.pdf", PDF + b"\0" * (10 * 1024 * 1024)),
        )
    errors = exc.value.message_dict
    assert "扩展名与文件内容（JPG）不符" in errors["registration_certificate"][0]
    assert "超过 10 MB" in errors["audit_report"][0]
    application = qualification_apply(
        actor=manager,
        agency=unqualified,
        registration_certificate=upload("scan.jpeg", JPG),
        audit_report=upload("a", PDF),
    )
    assert application.registration_certificate.name.endswith(".jpg")


@pytest.mark.django_db
def test_q6_bureau_approves_with_a_reason_and_a_validity_period(client, bureau_admin, manager, unqualified):
    application = qualification_apply(actor=manager, agency=unqualified, **documents())
    assert not qualification_check(unqualified, on=days(0)).ok
    client.force_login(bureau_admin)
    url = reverse("procurement:qualification-approve", args=[application.pk])
    response = client.post(url, {"reason": "材料齐全，同意。", "valid_from": days(0), "valid_until": days(365)})
    assert response.status_code == 200
    application.refresh_from_db()
    assert application.status == "approved" and application.decided_by == bureau_admin
    assert (application.valid_from, application.valid_until) == (days(0), days(365))
    assert qualification_check(unqualified, on=days(0)).ok
    assert qualification_check(unqualified, on=days(366)).problems == ["没有在有效期内的承接资格。"]


@pytest.mark.django_db
def test_q6_approval_defaults_to_two_years_from_today(bureau_admin, pending_application):
    approved = qualification_approve(actor=bureau_admin, application=pending_application, reason="同意")
    today = days(0)
    try:
        anniversary = today.replace(year=today.year + 2)
    except ValueError:  # 29 February
        anniversary = today.replace(year=today.year + 2, day=28)
    assert approved.valid_from == today
    assert approved.valid_until == anniversary - datetime.timedelta(days=1)
    assert approved.reason == "同意" and approved.decided_at is not None


@pytest.mark.django_db
def test_q6_a_decision_needs_a_written_reason(client, bureau_admin, pending_application):
    for service in (qualification_reject, qualification_approve):
        with pytest.raises(ValidationError) as exc:
            service(actor=bureau_admin, application=pending_application, reason="   ")
        assert "reason" in exc.value.message_dict
    client.force_login(bureau_admin)
    response = client.post(reverse("procurement:qualification-reject", args=[pending_application.pk]), {"reason": ""})
    assert response.status_code == 400
    assert "通过或不通过都需要书面理由" in response.content.decode()
    pending_application.refresh_from_db()
    assert pending_application.status == "submitted"


@pytest.mark.django_db
def test_q6_validity_must_end_after_it_starts(bureau_admin, pending_application):
    with pytest.raises(ValidationError) as exc:
        qualification_approve(
            actor=bureau_admin, application=pending_application, reason="同意", valid_from=days(10), valid_until=days(1)
        )
    assert "valid_until" in exc.value.message_dict


@pytest.mark.django_db
def test_q6_agency_sees_the_rejection_and_its_reason(client, bureau_admin, manager, pending_application, agency):
    client.force_login(bureau_admin)
    client.post(
        reverse("procurement:qualification-reject", args=[pending_application.pk]),
        {"reason": "审计报告缺少2023年度财务报表。"},
    )
    client.force_login(manager)
    body = client.get(reverse("procurement:agency-detail", args=[agency.pk])).content.decode()
    assert "审计报告缺少2023年度财务报表。" in body and "未通过" in body
    home = client.get(reverse("directory:home")).content.decode()
    assert "资格审核结果" in home and "审计报告缺少2023年度财务报表。" in home
    # The rejected application is closed: the manager may apply again.
    assert reverse("procurement:qualification-create", args=[agency.pk]) in body


@pytest.mark.django_db
def test_q6_only_the_bureau_decides(personas, pending_application):
    for role in (Role.AGENCY_MANAGER, Role.AUDITOR, Role.DISTRICT_OFFICER):
        with pytest.raises(PermissionDenied):
            qualification_approve(actor=personas[role], application=pending_application, reason="同意")
        with pytest.raises(PermissionDenied):
            qualification_reject(actor=personas[role], application=pending_application, reason="不同意")


@pytest.mark.django_db
def test_q6_a_decided_application_is_not_decided_again(bureau_admin, pending_application):
    qualification_reject(actor=bureau_admin, application=pending_application, reason="材料不全")
    with pytest.raises(ValidationError, match="不能再次审核"):
        qualification_approve(actor=bureau_admin, application=pending_application, reason="同意")


@pytest.mark.django_db
def test_q6_another_agencys_manager_can_neither_see_nor_apply(client, outsiders, pending_application, agency):
    outsider = outsiders[Role.AGENCY_MANAGER]
    with pytest.raises(PermissionDenied):
        qualification_apply(actor=outsider, agency=agency, **documents())
    client.force_login(outsider)
    assert client.get(reverse("procurement:qualification-detail", args=[pending_application.pk])).status_code == 404
    assert apply(client, agency).status_code == 404
    listing = client.get(reverse("procurement:qualification-list"))
    assert listing.status_code == 200 and list(listing.context["applications"]) == []
    for field in ("registration_certificate", "audit_report", "roster_file"):
        url = reverse("procurement:qualification-file", args=[pending_application.pk, field])
        assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_q6_documents_download_for_manager_bureau_and_auditor(client, personas, pending_application):
    url = reverse("procurement:qualification-file", args=[pending_application.pk, "registration_certificate"])
    for role in (Role.AGENCY_MANAGER, Role.BUREAU_ADMIN, Role.AUDITOR):
        client.force_login(personas[role])
        response = client.get(url)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")
        assert response["Content-Disposition"].startswith("attachment;")
    client.force_login(personas[Role.AGENCY_WORKER])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_d4_roster_snapshot_is_masked_for_everyone_but_the_bureau(client, personas, pending_application):
    url = reverse("procurement:qualification-file", args=[pending_application.pk, "roster_file"])
    client.force_login(personas[Role.BUREAU_ADMIN])
    full = read_xlsx(b"".join(client.get(url).streaming_content))[1][1]
    assert len(full) == 18 and "*" not in full
    for role in (Role.AGENCY_MANAGER, Role.AUDITOR):
        client.force_login(personas[role])
        masked = read_xlsx(b"".join(client.get(url).streaming_content))[1][1]
        assert masked == full[:4] + "*" * 10 + full[-4:]


@pytest.mark.django_db
def test_q6_bureau_review_queue_shows_pending_first(client, bureau_admin, pending_application):
    decided = QualificationFactory()
    client.force_login(bureau_admin)
    url = reverse("procurement:qualification-list")
    response = client.get(url)
    assert list(response.context["applications"]) == [pending_application]
    assert decided in client.get(url, {"status": ""}).context["applications"]
    detail = client.get(reverse("procurement:qualification-detail", args=[pending_application.pk]))
    body = detail.content.decode()
    assert reverse("procurement:qualification-approve", args=[pending_application.pk]) in body
    home = client.get(reverse("directory:home")).content.decode()
    assert "待审核的资格申请" in home and str(pending_application.agency) in home


@pytest.mark.django_db
def test_q6_decision_by_htmx_returns_the_decision_partial(client, bureau_admin, pending_application):
    client.force_login(bureau_admin)
    response = client.post(
        reverse("procurement:qualification-approve", args=[pending_application.pk]),
        {"reason": "同意"},
        HTTP_HX_REQUEST="true",
    )
    body = response.content.decode()
    assert "<html" not in body and 'data-status="approved"' in body


@pytest.mark.django_db
def test_qualification_list_query_count_is_constant(client, bureau_admin, django_assert_max_num_queries):
    for _ in range(3):
        QualificationFactory(status="submitted", reason="", valid_from=None, valid_until=None, decided_at=None)
    client.force_login(bureau_admin)
    url = reverse("procurement:qualification-list")
    client.get(url)
    with django_assert_max_num_queries(5):
        assert len(client.get(url).context["applications"]) == 3
    for _ in range(15):
        QualificationFactory(status="submitted", reason="", valid_from=None, valid_until=None, decided_at=None)
    with django_assert_max_num_queries(5):
        assert len(client.get(url).context["applications"]) == 18


def test_q2_q3_q5_the_review_page_sums_up_the_staff_against_the_thresholds(client, bureau, pending_application, agency):
    from tests.procurement.factories import CertificateFactory, RoundFactory, StaffFactory, team

    RoundFactory(is_current=True, min_full_time_staff=9, min_certified_share=50)
    team(agency, full_time=6, certified=4)
    lapsing = StaffFactory(agency=agency, name="林晓")
    CertificateFactory(staff=lapsing, expires_on=days(200))  # inside the 2-year validity
    client.force_login(bureau)
    body = client.get(reverse("procurement:qualification-detail", args=[pending_application.pk])).content.decode()
    summary = body[body.index('data-testid="staff-summary"') : body.index("</article>", body.index("staff-summary"))]
    assert "专职人员 7 人（要求不少于 9 人）" in summary and 'data-meets="0"' in summary
    assert "持证社工 5 人，占专职人员 71.43%（要求不低于 50%）" in summary and 'data-meets="1"' in summary
    expiring = summary[summary.index('data-testid="expiring-certificates"') :]
    assert f"林晓 · 助理社会工作师 · {days(200).isoformat()} 到期" in expiring
    assert expiring.count("<li>") == 1  # the others' certificates outlast the validity (1000 days)

"""K8 rectification pages: the filtered list (open and answered by default, 全部 in the filters, constant
queries), the finding page with its history, answering (整改) with an optional file checked by content, waiving
with a written reason, the attachment download, the xlsx export, the navigation link and the home sections."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from compliance.models import Finding, FindingEvent
from compliance.services import finding_respond, findings_sync
from directory.models import Role
from tests.compliance.findings_world import EXE, PDF, PNG, bulk_findings, make_findings
from tests.test_exports import assert_xlsx_text

pytestmark = pytest.mark.django_db

LIST = reverse("compliance:finding-list")


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path


@pytest.fixture
def findings(world, package):
    return make_findings(world, package)


def _shown(response) -> set[int]:
    return {f.pk for f in response.context["findings"]}


# --- the list -----------------------------------------------------------------------------------------------------


def test_k8_list_shows_open_and_answered_findings_by_default(client, bureau, findings, world, package):
    findings_sync(rule="K6", found=[])  # k6's condition cleared: closed
    client.force_login(bureau)
    response = client.get(LIST)
    assert response.status_code == 200
    assert _shown(response) == {findings.k3.pk, findings.k4.pk, findings.k7.pk}
    assert _shown(client.get(LIST, {"status": "closed"})) == {findings.k6.pk}
    assert _shown(client.get(LIST, {"status": "all"})) == {f.pk for f in findings.all()}


def test_k8_list_filters_by_rule_severity_district_town_agency_and_age(client, bureau, world, package):
    old = make_findings(world, package, first_seen=timezone.now() - datetime.timedelta(days=40))
    client.force_login(bureau)
    assert _shown(client.get(LIST, {"rule": "K3"})) == {old.k3.pk}
    assert _shown(client.get(LIST, {"severity": "critical"})) == {old.k3.pk}
    assert _shown(client.get(LIST, {"district": world.district_b.pk})) == {old.k6.pk}
    assert _shown(client.get(LIST, {"town": world.town_a1.pk})) == {old.k3.pk, old.k4.pk, old.k7.pk}
    # An agency's findings: those it must answer and those about its package.
    assert _shown(client.get(LIST, {"agency": world.agency.pk})) == {old.k3.pk, old.k4.pk}
    assert _shown(client.get(LIST, {"age": "30"})) == {f.pk for f in old.all()}
    assert _shown(client.get(LIST, {"age": "90"})) == set()
    bulk_findings(world, package, 2)  # first seen now
    assert len(_shown(client.get(LIST, {"age": "7"}))) == 4


def test_k8_list_filters_offer_all_instead_of_dashes(client, bureau, findings):
    client.force_login(bureau)
    body = client.get(LIST).content.decode()
    assert "---------" not in body and "全部" in body


def test_k8_mine_shows_the_findings_my_organisation_must_answer(client, town_officer, findings):
    client.force_login(town_officer)
    assert _shown(client.get(LIST)) == {findings.k3.pk, findings.k4.pk, findings.k7.pk}
    assert _shown(client.get(LIST, {"responsible": "mine"})) == {findings.k7.pk}


def test_k8_bad_filters_are_a_form_error_not_a_server_error(client, bureau, findings):
    client.force_login(bureau)
    response = client.get(LIST, {"status": "bogus", "town": "9" * 30, "age": "x", "district": "abc", "page": "zz"})
    assert response.status_code == 200
    assert response.context["filter"].errors


def test_k8_list_is_paginated(client, bureau, world, package):
    bulk_findings(world, package, 55)
    client.force_login(bureau)
    first = client.get(LIST)
    assert len(first.context["findings"]) == 50 and first.context["page"].paginator.count == 55
    assert len(client.get(LIST, {"page": 2}).context["findings"]) == 5


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.AGENCY_MANAGER, Role.COMMUNITY_OFFICER])
def test_k8_list_page_query_count_is_constant(client, personas, world, package, role, django_assert_max_num_queries):
    client.force_login(personas[role])
    bulk_findings(world, package, 3)
    client.get(LIST)
    # session, user, memberships, the bell's unread count, count, page, and the filters' district/town/agency choices
    with django_assert_max_num_queries(9):
        small = client.get(LIST)
    with django_assert_max_num_queries(4):
        client.get(reverse("compliance:finding-export"))
    bulk_findings(world, package, 45)
    with django_assert_max_num_queries(9):
        large = client.get(LIST)
    with django_assert_max_num_queries(4):
        client.get(reverse("compliance:finding-export"))
    assert large.context["page"].paginator.count > small.context["page"].paginator.count


def test_k8_list_answers_htmx_with_the_table_only(client, bureau, findings):
    client.force_login(bureau)
    response = client.get(LIST, {"rule": "K3"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert "<form" not in response.content.decode() and findings.k3.message in response.content.decode()


# --- the finding page ---------------------------------------------------------------------------------------------


def test_k8_detail_shows_message_details_subject_responsible_and_history(client, town_officer, findings, package):
    client.force_login(town_officer)
    response = client.get(findings.k3.get_absolute_url())
    body = response.content.decode()
    assert findings.k3.message in body and "2025-02-10" in body
    assert f'href="{package.get_absolute_url()}"' in body
    assert "乐仁社工服务社" in body
    assert [e.kind for e in response.context["events"]] == ["opened"]
    # A town officer sees the finding but answers only for its own office.
    assert response.context["respond_form"] is None and response.context["waive_form"] is None


def test_k8_detail_links_only_to_addresses_inside_the_platform(client, bureau, world):
    from compliance.checks import Found

    client.force_login(bureau)
    for url in ("javascript:alert(1)", "//evil.example/", "/\\evil.example/", "https://evil.example/"):
        findings_sync(rule="K1", found=[Found("x", "问题", url=url, details={"uses": [{"a": 1}]})])
        response = client.get(Finding.objects.get(rule="K1").get_absolute_url())
        assert response.status_code == 200 and response.context["subject_url"] == ""
        assert "evil.example" not in response.content.decode() and "javascript:" not in response.content.decode()
    findings_sync(rule="K1", found=[Found("x", "问题", url="/delivery/reports/1/")])
    assert (
        client.get(Finding.objects.get(rule="K1").get_absolute_url()).context["subject_url"] == "/delivery/reports/1/"
    )


def test_k8_detail_shows_record_lists_side_by_side(client, bureau):
    from compliance.checks import Found

    uses = [{"报告": "2025年1月", "社区": "甲"}, {"报告": "2025年3月", "社区": "乙"}]
    findings_sync(rule="K9", found=[Found("attachments:1:2", "同一照片用于两份月报", details={"uses": uses})])
    client.force_login(bureau)
    body = client.get(Finding.objects.get(rule="K9").get_absolute_url()).content.decode()
    assert "2025年1月" in body and "2025年3月" in body and "<table" in body


# --- answering (整改) ---------------------------------------------------------------------------------------------


def _respond(client, finding, **data):
    return client.post(reverse("compliance:finding-respond", args=[finding.pk]), data)


def test_k8_agency_answers_with_text_and_a_file(client, manager, findings, town_officer):
    client.force_login(manager)
    assert client.get(findings.k3.get_absolute_url()).context["respond_form"] is not None
    response = _respond(client, findings.k3, text="已补交1月月报。", attachment=SimpleUploadedFile("月报回执.pdf", PDF))
    assert response.status_code == 302
    findings.k3.refresh_from_db()
    assert findings.k3.status == Finding.Status.RESPONDED and findings.k3.closed_at is None
    event = findings.k3.events.get(kind=FindingEvent.Kind.RESPONDED)
    assert event.actor == manager and event.text == "已补交1月月报。"
    assert event.attachment_name == "月报回执.pdf" and event.attachment_content_type == "application/pdf"
    # The town officer, who sees the finding, reads the answer and opens its file.
    client.force_login(town_officer)
    body = client.get(findings.k3.get_absolute_url()).content.decode()
    assert "已补交1月月报。" in body and "月报回执.pdf" in body
    download = client.get(reverse("compliance:finding-attachment", args=[event.pk]))
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert download["Cache-Control"] == "private, no-store"


def test_k8_attachment_is_404_to_whoever_does_not_see_the_finding(client, manager, findings, personas, outsiders):
    finding_respond(actor=manager, finding=findings.k3, text="已整改", attachment=SimpleUploadedFile("a.png", PNG))
    event = findings.k3.events.get(kind="responded")
    url = reverse("compliance:finding-attachment", args=[event.pk])
    for user in (outsiders[Role.AGENCY_MANAGER], outsiders[Role.TOWN_OFFICER], personas[Role.COMMUNITY_OFFICER]):
        client.force_login(user)
        assert client.get(url).status_code == 404
    client.force_login(personas[Role.AUDITOR])
    assert client.get(url).status_code == 200


def test_k8_a_worker_answers_too_and_a_second_answer_adds_to_the_history(client, worker, manager, findings):
    client.force_login(worker)
    assert _respond(client, findings.k4, text="已在该社区开设基础服务。").status_code == 302
    client.force_login(manager)
    assert _respond(client, findings.k4, text="补充：已签到表。").status_code == 302
    findings.k4.refresh_from_db()
    assert findings.k4.status == Finding.Status.RESPONDED
    assert list(findings.k4.events.values_list("kind", flat=True)) == ["opened", "responded", "responded"]


def test_k8_answer_needs_text(client, manager, findings):
    client.force_login(manager)
    response = _respond(client, findings.k3, text="   ")
    assert response.status_code == 400
    assert response.context["respond_form"].errors["text"]
    findings.k3.refresh_from_db()
    assert findings.k3.status == Finding.Status.OPEN


def test_k8_a_bad_attachment_is_refused_with_a_clear_message_and_nothing_changes(client, manager, findings):
    client.force_login(manager)
    response = _respond(client, findings.k3, text="已整改", attachment=SimpleUploadedFile("照片.jpg", EXE))
    assert response.status_code == 400
    assert "文件内容不是 JPG/PNG/PDF" in " ".join(response.context["respond_form"].errors["attachment"])
    findings.k3.refresh_from_db()
    assert findings.k3.status == Finding.Status.OPEN
    assert not findings.k3.events.filter(kind="responded").exists()
    mismatch = _respond(client, findings.k3, text="已整改", attachment=SimpleUploadedFile("回执.jpg", PDF))
    assert mismatch.status_code == 400 and "扩展名" in " ".join(mismatch.context["respond_form"].errors["attachment"])


def test_k8_answering_a_closed_or_waived_finding_is_refused(client, manager, bureau, findings):
    findings_sync(rule="K3", found=[])  # the report was filed: the sweep closed it
    client.force_login(manager)
    response = _respond(client, findings.k3, text="已整改")
    assert response.status_code == 400
    assert "已消除" in " ".join(response.context["respond_form"].non_field_errors())
    client.force_login(bureau)
    client.post(reverse("compliance:finding-waive", args=[findings.k4.pk]), {"reason": "社区撤并，不再适用。"})
    client.force_login(manager)
    response = _respond(client, findings.k4, text="已整改")
    assert response.status_code == 400 and "豁免" in " ".join(response.context["respond_form"].non_field_errors())
    assert FindingEvent.objects.filter(kind="responded").count() == 0


def test_k8_those_who_see_but_are_not_responsible_cannot_answer(client, personas, findings):
    # The bureau does not answer on the agency's behalf; the town officer answers only for the town office.
    for role in (Role.BUREAU_ADMIN, Role.TOWN_OFFICER, Role.AUDITOR, Role.DISTRICT_OFFICER):
        client.force_login(personas[role])
        assert _respond(client, findings.k3, text="代为整改").status_code == 403
    findings.k3.refresh_from_db()
    assert findings.k3.status == Finding.Status.OPEN


def test_k8_answered_finding_closes_when_the_sweep_no_longer_finds_it(client, manager, findings):
    client.force_login(manager)
    _respond(client, findings.k3, text="已补交。")
    findings_sync(rule="K3", found=[])
    findings.k3.refresh_from_db()
    assert findings.k3.status == Finding.Status.CLOSED and findings.k3.closed_at is not None
    assert list(findings.k3.events.values_list("kind", flat=True)) == ["opened", "responded", "closed"]


# --- waiving --------------------------------------------------------------------------------------------------------


def _waive(client, finding, **data):
    return client.post(reverse("compliance:finding-waive", args=[finding.pk]), data)


def test_k8_bureau_waives_with_a_reason_kept_in_history(client, bureau, findings):
    client.force_login(bureau)
    assert client.get(findings.k6.get_absolute_url()).context["waive_form"] is not None
    assert _waive(client, findings.k6, reason="该评估已由区局另行安排。").status_code == 302
    findings.k6.refresh_from_db()
    assert findings.k6.status == Finding.Status.WAIVED and findings.k6.closed_at is not None
    event = findings.k6.events.get(kind="waived")
    assert event.actor == bureau and event.text == "该评估已由区局另行安排。"
    body = client.get(findings.k6.get_absolute_url()).content.decode()
    assert "该评估已由区局另行安排。" in body
    # The sweep keeps it waived while the condition holds.
    from compliance.checks import Found

    findings_sync(rule="K6", found=[Found("evaluation:b1", "中期评估逾期")])
    findings.k6.refresh_from_db()
    assert findings.k6.status == Finding.Status.WAIVED


def test_k8_waiver_settles_the_notifications_and_opening_the_page_reads_ones_own(
    client, bureau, manager, worker, findings
):
    from compliance.notify import findings_notify
    from notifications.models import Notification

    findings_notify([findings.k3.pk])
    unread = Notification.objects.filter(kind="finding", read_at__isnull=True)
    assert set(unread.values_list("user_id", flat=True)) == {manager.pk, worker.pk}
    client.force_login(manager)
    client.get(findings.k3.get_absolute_url())
    assert set(unread.values_list("user_id", flat=True)) == {worker.pk}
    client.force_login(bureau)
    _waive(client, findings.k3, reason="已另行处理。")
    assert not unread.exists()


def test_k8_waiver_without_reason_is_a_form_error(client, bureau, findings):
    client.force_login(bureau)
    response = _waive(client, findings.k3, reason="  ")
    assert response.status_code == 400
    assert response.context["waive_form"].errors["reason"]
    findings.k3.refresh_from_db()
    assert findings.k3.status == Finding.Status.OPEN and not findings.k3.events.filter(kind="waived").exists()


def test_k8_an_agency_or_auditor_cannot_waive(client, personas, findings):
    for role in (Role.AGENCY_MANAGER, Role.AUDITOR, Role.TOWN_OFFICER):
        client.force_login(personas[role])
        assert _waive(client, findings.k3, reason="不需要").status_code == 403
    findings.k3.refresh_from_db()
    assert findings.k3.status == Finding.Status.OPEN


def test_k8_a_closed_finding_cannot_be_waived(client, bureau, findings):
    findings_sync(rule="K3", found=[])
    client.force_login(bureau)
    response = _waive(client, findings.k3, reason="不需要")
    assert response.status_code == 400
    assert "已消除" in " ".join(response.context["waive_form"].non_field_errors())


# --- export ---------------------------------------------------------------------------------------------------------


def test_k8_export_writes_messages_and_answers_as_text(client, world, package, manager, bureau):
    from compliance.checks import Found

    findings_sync(
        rule="K3", found=[Found("report:x", '=HYPERLINK("http://evil.example")', organisation_id=world.agency.pk)]
    )
    finding = Finding.objects.get(rule="K3")
    finding_respond(actor=manager, finding=finding, text="=1+2")
    findings_sync(rule="K1", found=[Found("package:y", "-2+3 人员不足")])
    client.force_login(bureau)
    response = client.get(reverse("compliance:finding-export"), {"status": "all"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert_xlsx_text(response.content, '=HYPERLINK("http://evil.example")', "=1+2", "-2+3 人员不足")


def test_k8_export_follows_the_filters_and_the_scope(client, findings, personas):
    import io

    from openpyxl import load_workbook

    client.force_login(personas[Role.AGENCY_MANAGER])
    response = client.get(reverse("compliance:finding-export"), {"rule": "K3"})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == [findings.k3.pk]
    client.force_login(personas[Role.EXPERT])
    assert client.get(reverse("compliance:finding-export")).status_code == 404


# --- navigation and home ------------------------------------------------------------------------------------------


def test_k8_navigation_offers_compliance_to_those_who_see_findings(client, personas):
    for role, shown in (
        (Role.AGENCY_MANAGER, True),
        (Role.TOWN_OFFICER, True),
        (Role.COMMUNITY_OFFICER, True),
        (Role.EVALUATOR, False),
        (Role.EXPERT, False),
    ):
        client.force_login(personas[role])
        body = client.get(reverse("directory:home")).content.decode()
        assert (f'href="{LIST}"' in body) is shown, role


def test_k8_home_shows_the_findings_to_answer_with_a_link_to_the_list(client, manager, bureau, findings):
    client.force_login(manager)
    sections = {s.title: s for s in client.get(reverse("directory:home")).context["sections"]}
    section = sections["待整改的合规问题"]
    assert section.count == 2 and section.url == f"{LIST}?status=open&responsible=mine"
    assert {i.url for i in section.items} == {findings.k3.get_absolute_url(), findings.k4.get_absolute_url()}
    assert _shown(client.get(section.url)) == {findings.k3.pk, findings.k4.pk}
    finding_respond(actor=manager, finding=findings.k3, text="已整改")
    client.force_login(bureau)
    sections = {s.title: s for s in client.get(reverse("directory:home")).context["sections"]}
    assert sections["已整改待核实的合规问题"].count == 1
    assert "待整改的合规问题" not in sections  # the bureau itself answers for nothing here

"""S3: draft → submitted → confirmed by the town, or returned with a reason and resubmitted. A confirmed
report is immutable; a correction is a new version that keeps the old one."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from delivery.models import ReportAttachment, ServiceReport
from delivery.services.reports import (
    report_attach,
    report_confirm,
    report_correct,
    report_create,
    report_return,
    report_save_draft,
    report_submit,
)
from directory.models import Role

from .builders import JPEG, upload

pytestmark = pytest.mark.django_db
Status = ServiceReport.Status


@pytest.fixture
def draft(package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    return report_save_draft(
        actor=worker,
        report=report,
        summary="三月小结",
        lines={items["activity"].pk: {"sessions": 2, "attendances": 40}},
    )


@pytest.fixture
def confirmed(draft, worker, town_officer):
    report_attach(actor=worker, report=draft, file=upload("sign-in.jpg", JPEG))
    report_submit(actor=worker, report=draft)
    return report_confirm(actor=town_officer, report=draft)


def test_s3_submit_then_confirm(draft, worker, town_officer):
    submitted = report_submit(actor=worker, report=draft)
    assert submitted.status == Status.SUBMITTED and submitted.submitted_at is not None
    confirmed = report_confirm(actor=town_officer, report=submitted)
    assert confirmed.status == Status.CONFIRMED
    assert confirmed.confirmed_by == town_officer and confirmed.confirmed_at is not None


def test_s3_submit_needs_a_summary(package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=4)
    with pytest.raises(ValidationError) as exc:
        report_submit(actor=worker, report=report)
    assert "工作小结" in exc.value.message_dict["summary"][0]
    report.refresh_from_db()
    assert report.status == Status.DRAFT


def test_s3_return_needs_a_reason_and_the_agency_resubmits(draft, worker, town_officer):
    report_submit(actor=worker, report=draft)
    with pytest.raises(ValidationError) as exc:
        report_return(actor=town_officer, report=draft, reason="   ")
    assert "原因" in exc.value.message_dict["reason"][0]
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED

    returned = report_return(actor=town_officer, report=draft, reason="请补充活动签到表。")
    assert returned.status == Status.RETURNED and returned.returned_reason == "请补充活动签到表。"
    report_attach(actor=worker, report=returned, file=upload("签到表.jpg", JPEG))
    assert report_submit(actor=worker, report=returned).status == Status.SUBMITTED


def test_s3_only_a_submitted_report_is_confirmed(draft, town_officer):
    with pytest.raises(ValidationError, match="只有已提交"):
        report_confirm(actor=town_officer, report=draft)


def test_s3_a_confirmed_report_is_immutable(confirmed, items, worker, town_officer):
    before = list(confirmed.lines.values_list("plan_item_id", "sessions", "attendances", "narrative"))
    with pytest.raises(ValidationError, match="报告已确认，不能再修改"):
        report_save_draft(actor=worker, report=confirmed, summary="改", lines={items["activity"].pk: {"sessions": 9}})
    with pytest.raises(ValidationError, match="报告已确认"):
        report_attach(actor=worker, report=confirmed, file=upload("late.jpg", JPEG))
    with pytest.raises(ValidationError, match="报告已确认"):
        report_submit(actor=worker, report=confirmed)
    with pytest.raises(ValidationError, match="只有已提交"):
        report_return(actor=town_officer, report=confirmed, reason="再改改")
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED and confirmed.summary == "三月小结"
    assert list(confirmed.lines.values_list("plan_item_id", "sessions", "attendances", "narrative")) == before
    assert confirmed.attachments.count() == 1


def test_s3_editing_a_confirmed_report_in_the_browser_is_refused(client_for, confirmed, items, worker):
    client = client_for(worker)
    url = reverse("delivery:report-edit", args=[confirmed.pk])
    response = client.post(url, {f"line-{items['activity'].pk}-sessions": "99", "action": "save"}, follow=True)
    assert "不能编辑" in response.content.decode()
    assert confirmed.lines.get(plan_item=items["activity"]).sessions == 2
    response = client.post(reverse("delivery:report-autosave", args=[confirmed.pk]), {"summary": "x"})
    assert "报告已确认，不能再修改" in response.content.decode()
    confirmed.refresh_from_db()
    assert confirmed.summary == "三月小结"


def test_s3_a_correction_is_a_new_version_that_keeps_the_old_one(confirmed, items, worker, town_officer):
    correction = report_correct(actor=worker, report=confirmed)
    assert (correction.version, correction.status, correction.supersedes) == (2, Status.DRAFT, confirmed)
    assert correction.summary == confirmed.summary
    assert correction.lines.get(plan_item=items["activity"]).attendances == 40
    copied = correction.attachments.get()
    original = confirmed.attachments.get()
    assert (copied.file.name, copied.sha256) == (original.file.name, original.sha256)

    # the confirmed version stays in force while the correction is drafted
    confirmed.refresh_from_db()
    assert confirmed.status == Status.CONFIRMED
    with pytest.raises(ValidationError, match="正在办理"):
        report_correct(actor=worker, report=confirmed)

    report_save_draft(actor=worker, report=correction, lines={items["activity"].pk: {"attendances": 45}})
    report_submit(actor=worker, report=correction)
    report_confirm(actor=town_officer, report=correction)
    confirmed.refresh_from_db()
    correction.refresh_from_db()
    assert confirmed.status == Status.SUPERSEDED and correction.status == Status.CONFIRMED
    # the old version is kept as it was
    assert confirmed.lines.get(plan_item=items["activity"]).attendances == 40
    assert confirmed.attachments.count() == 1
    assert ServiceReport.objects.filter(package=confirmed.package, year=2025, month=3).count() == 2


def test_s3_deleting_a_copied_attachment_keeps_the_confirmed_versions_file(confirmed, worker):
    from delivery.services.reports import report_attachment_delete

    correction = report_correct(actor=worker, report=confirmed)
    report_attachment_delete(actor=worker, attachment=correction.attachments.get())
    original = confirmed.attachments.get()
    assert original.file.storage.exists(original.file.name)
    assert ReportAttachment.objects.count() == 1


def test_s3_only_a_confirmed_report_is_corrected(draft, worker):
    with pytest.raises(ValidationError, match="直接编辑"):
        report_correct(actor=worker, report=draft)


def test_s3_the_workflow_in_the_browser(client_for, draft, items, worker, town_officer):
    agency_client = client_for(worker)
    response = agency_client.post(
        reverse("delivery:report-edit", args=[draft.pk]),
        {"summary": "三月小结", f"line-{items['station'].pk}-sessions": "3", "action": "submit"},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED

    town_client = client_for(town_officer)
    detail = town_client.get(draft.get_absolute_url()).content.decode()
    assert 'data-testid="confirm"' in detail
    response = town_client.post(reverse("delivery:report-return", args=[draft.pk]), {"reason": ""})
    assert response.status_code == 400 and "退回时请填写原因" in response.content.decode()
    town_client.post(reverse("delivery:report-return", args=[draft.pk]), {"reason": "请补充照片"})
    draft.refresh_from_db()
    assert draft.status == Status.RETURNED

    agency_client = client_for(worker)
    assert "请补充照片" in agency_client.get(draft.get_absolute_url()).content.decode()
    agency_client.post(reverse("delivery:report-edit", args=[draft.pk]), {"summary": "补充", "action": "submit"})
    town_client = client_for(town_officer)
    town_client.post(reverse("delivery:report-confirm", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.status == Status.CONFIRMED

    agency_client = client_for(worker)
    response = agency_client.post(reverse("delivery:report-correct", args=[draft.pk]))
    correction = ServiceReport.objects.get(supersedes=draft)
    assert response["Location"] == reverse("delivery:report-edit", args=[correction.pk])
    history = agency_client.get(correction.get_absolute_url()).content.decode()
    assert "第 1 版" in history and "第 2 版" in history


def test_s3_a_failed_submit_keeps_the_users_input_as_a_draft(client_for, package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=5)
    response = client_for(worker).post(
        reverse("delivery:report-edit", args=[report.pk]),
        {"summary": "", f"line-{items['visits'].pk}-households": "17", "action": "submit"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "提交前请填写本月工作小结" in html and 'value="17"' in html
    report.refresh_from_db()
    assert report.status == Status.DRAFT
    assert report.lines.get(plan_item=items["visits"]).households == 17


def test_s3_autosave_keeps_the_draft(client_for, package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=5)
    response = client_for(worker).post(
        reverse("delivery:report-autosave", args=[report.pk]),
        {"summary": "写了一半", f"line-{items['rental'].pk}-households": "2"},
        HTTP_HX_REQUEST="true",
    )
    assert 'data-testid="autosave-ok"' in response.content.decode()
    report.refresh_from_db()
    assert report.summary == "写了一半" and report.lines.get(plan_item=items["rental"]).households == 2


# --- refusals ------------------------------------------------------------------------------------


def test_s3_a_worker_of_another_agency_is_refused(client_for, draft, items, outsiders):
    stranger = outsiders[Role.AGENCY_WORKER]
    with pytest.raises(PermissionDenied, match="承接机构"):
        report_save_draft(actor=stranger, report=draft, lines={items["activity"].pk: {"sessions": 9}})
    with pytest.raises(PermissionDenied):
        report_create(actor=stranger, package=draft.package, year=2025, month=6)
    client = client_for(stranger)
    for name in ("report-detail", "report-edit"):
        assert client.get(reverse(f"delivery:{name}", args=[draft.pk])).status_code == 404
    assert client.get(reverse("delivery:report-list", args=[draft.package.pk])).status_code == 404
    response = client.post(
        reverse("delivery:report-edit", args=[draft.pk]), {f"line-{items['activity'].pk}-sessions": "9"}
    )
    assert response.status_code == 404
    assert draft.lines.get(plan_item=items["activity"]).sessions == 2


def test_s3_a_town_officer_of_another_town_is_refused(client_for, draft, worker, outsiders):
    report_submit(actor=worker, report=draft)
    stranger = outsiders[Role.TOWN_OFFICER]
    with pytest.raises(PermissionDenied, match="街镇干部"):
        report_confirm(actor=stranger, report=draft)
    with pytest.raises(PermissionDenied):
        report_return(actor=stranger, report=draft, reason="不行")
    client = client_for(stranger)
    assert client.post(reverse("delivery:report-confirm", args=[draft.pk])).status_code == 404
    assert client.get(draft.get_absolute_url()).status_code == 404
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_s3_the_agency_cannot_confirm_its_own_report(client_for, draft, worker, personas):
    report_submit(actor=worker, report=draft)
    manager = personas[Role.AGENCY_MANAGER]
    with pytest.raises(PermissionDenied):
        report_confirm(actor=manager, report=draft)
    assert client_for(manager).post(reverse("delivery:report-confirm", args=[draft.pk])).status_code == 403
    community = personas[Role.COMMUNITY_OFFICER]
    assert client_for(community).post(reverse("delivery:report-confirm", args=[draft.pk])).status_code == 403
    draft.refresh_from_db()
    assert draft.status == Status.SUBMITTED


def test_s3_the_town_sees_what_a_correction_changes_line_by_line(confirmed, items, worker, town_officer, client_for):
    correction = report_correct(actor=worker, report=confirmed)
    report_save_draft(
        actor=worker,
        report=correction,
        summary="三月小结（更正）",
        lines={items["activity"].pk: {"attendances": 45, "narrative": "补记一次活动"}},
    )
    report_submit(actor=worker, report=correction)
    html = client_for(town_officer).get(reverse("delivery:report-detail", args=[correction.pk])).content.decode()
    panel = html[
        html.index('data-testid="correction-changes"') : html.index("</article>", html.index("correction-changes"))
    ]
    assert "与第 1 版相比的改动" in panel
    activity = items["activity"]
    rows = panel.split(f'data-change="{activity.pk}"')[1:]
    assert len(rows) == 2  # attendances and narrative changed; sessions did not
    assert "服务人次" in rows[0] and "<del>40</del>" in rows[0] and "<ins>45</ins>" in rows[0]
    assert "服务情况" in rows[1] and "（空）" in rows[1] and "<ins>补记一次活动</ins>" in rows[1]
    assert "<del>三月小结</del>" in panel and "<ins>三月小结（更正）</ins>" in panel
    assert "开展次数" not in panel


def test_s3_an_unchanged_correction_says_so_and_a_first_version_shows_no_panel(confirmed, worker, client_for):
    correction = report_correct(actor=worker, report=confirmed)
    client = client_for(worker)
    assert "尚无改动" in client.get(reverse("delivery:report-detail", args=[correction.pk])).content.decode()
    assert (
        "correction-changes" not in client.get(reverse("delivery:report-detail", args=[confirmed.pk])).content.decode()
    )

"""The report edit page never loses what a worker typed: the upload button submits the whole report form, so
the draft is saved with the upload (even when the file is refused), and a bad value keeps everything typed.
And it says up front when the month cannot be submitted yet (S3)."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from delivery.models import ReportAttachment, ReportLine
from delivery.services.reports import report_create, report_submit

from .builders import ELF, PNG, upload

pytestmark = pytest.mark.django_db


def _typed(items, **extra):
    return {
        "summary": "本月走访独居老人。",
        f"line-{items['activity'].pk}-sessions": "3",
        f"line-{items['activity'].pk}-narrative": "开展兴趣班三次。",
        "action": "attach",
        **extra,
    }


def test_upload_saves_what_was_typed_with_the_file(client_for, package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    response = client_for(worker).post(
        reverse("delivery:report-attach", args=[report.pk]), _typed(items, file=upload("签到表.png", PNG)), follow=True
    )
    assert ReportAttachment.objects.filter(report=report, original_name="签到表.png").exists()
    line = ReportLine.objects.get(report=report, plan_item=items["activity"])
    assert (line.sessions, line.narrative) == (3, "开展兴趣班三次。")
    report.refresh_from_db()
    assert report.summary == "本月走访独居老人。"
    html = response.content.decode()
    assert "开展兴趣班三次。" in html and "本月走访独居老人。" in html  # the page it comes back to shows them


def test_a_refused_file_still_saves_what_was_typed(client_for, package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    response = client_for(worker).post(
        reverse("delivery:report-attach", args=[report.pk]), _typed(items, file=upload("a.jpg", ELF)), follow=True
    )
    assert "附件未上传" in response.content.decode()
    assert not ReportAttachment.objects.exists()
    assert ReportLine.objects.get(report=report, plan_item=items["activity"]).narrative == "开展兴趣班三次。"


def test_a_bad_number_keeps_the_page_as_typed_and_says_the_file_was_not_uploaded(client_for, package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    typed = _typed(items, file=upload("签到表.png", PNG), **{f"line-{items['station'].pk}-attendances": "-1"})
    response = client_for(worker).post(reverse("delivery:report-attach", args=[report.pk]), typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert "附件未上传：请先改正" in html and "服务人次不能为负数" in html
    assert "开展兴趣班三次。" in html and 'value="-1"' in html
    assert not ReportAttachment.objects.exists()


def test_the_upload_inputs_belong_to_the_report_form_and_the_form_warns_before_leaving(
    client_for, package, items, worker
):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    html = client_for(worker).get(reverse("delivery:report-edit", args=[report.pk])).content.decode()
    assert 'id="report-form" data-warn-unsaved' in html
    assert 'type="file" name="file"' in html and 'form="report-form"' in html
    assert f'formaction="{reverse("delivery:report-attach", args=[report.pk])}"' in html


# --- S3: the current month cannot be submitted yet, and the page says so before the click ------------------


def test_s3_month_is_submittable_from_its_last_day():
    from delivery.workflow import report_month_is_submittable

    assert not report_month_is_submittable(2025, 2, datetime.date(2025, 2, 27))
    assert report_month_is_submittable(2025, 2, datetime.date(2025, 2, 28))
    assert report_month_is_submittable(2025, 2, datetime.date(2025, 3, 1))


def test_s3_the_running_month_shows_a_disabled_submit_with_the_reason(client_for, package, items, worker, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2025, 3, 15))
    report = report_create(actor=worker, package=package, year=2025, month=3)
    html = client_for(worker).get(reverse("delivery:report-edit", args=[report.pk])).content.decode()
    assert 'data-testid="submit" disabled' in html
    assert "2025年3月尚未结束，月末（2025-03-31）起才能提交月报" in html
    # The service gives the very same answer if the button is forced.
    with pytest.raises(ValidationError) as refused:
        report_submit(actor=worker, report=report)
    assert "月末（2025-03-31）起才能提交" in refused.value.messages[0]


def test_s3_an_ended_month_offers_submit(client_for, package, items, worker, monkeypatch):
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: datetime.date(2025, 4, 2))
    report = report_create(actor=worker, package=package, year=2025, month=3)
    html = client_for(worker).get(reverse("delivery:report-edit", args=[report.pk])).content.decode()
    assert 'data-testid="submit">' in html and "submit-blocked" not in html


def test_the_file_input_does_not_block_saving_the_draft(client_for, package, items, worker):
    """The file input is part of the report form: were it `required`, the browser would refuse to save a draft
    (and htmx to autosave it) until a file was chosen."""
    report = report_create(actor=worker, package=package, year=2025, month=3)
    html = client_for(worker).get(reverse("delivery:report-edit", args=[report.pk])).content.decode()
    file_input = html[html.index('type="file"') - 20 :]
    file_input = file_input[: file_input.index(">")]
    assert "required" not in file_input


def test_deleting_an_attachment_asks_first(client_for, package, items, worker):
    report = report_create(actor=worker, package=package, year=2025, month=3)
    client = client_for(worker)
    client.post(reverse("delivery:report-attach", args=[report.pk]), {"file": upload("签到表.png", PNG)})
    html = client.get(reverse("delivery:report-edit", args=[report.pk])).content.decode()
    assert 'class="inline" data-confirm="确定删除附件“签到表.png”吗？' in html

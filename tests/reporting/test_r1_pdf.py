"""R1: the finalised evaluation report of a package as a PDF — rendered by a Celery task (eager in tests), stored
privately, listed with its status, downloadable only by those who may see the result (A5)."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from directory.models import Role
from reporting import services
from reporting.documents import r1_document
from reporting.models import ReportFile
from reporting.tasks import render_report_task


def _text(pdf: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)


def _font_names(pdf: bytes) -> set[str]:
    names = set()
    for page in PdfReader(io.BytesIO(pdf)).pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            names.add(str(ref.get_object()["/BaseFont"]))
    return names


@pytest.fixture
def ask(client, django_capture_on_commit_callbacks):
    """Post the "生成PDF" button as `user` and run what the transaction enqueued (the eager task)."""

    def post(user, evaluation):
        client.force_login(user)
        with django_capture_on_commit_callbacks(execute=True):
            return client.post(reverse("reporting:report-r1-request", args=[evaluation.pk]))

    return post


def test_r1_pdf_keeps_the_chinese_package_title_agency_and_grade(
    django_capture_on_commit_callbacks, manager, finalised
):
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(actor=manager, kind=ReportFile.Kind.R1, evaluation=finalised)
    report.refresh_from_db()
    assert report.status == ReportFile.Status.READY, report.error
    assert report.requested_by == manager and report.rendered_at is not None
    pdf = report.file.read()
    assert pdf.startswith(b"%PDF-")
    text = _text(pdf)
    package = finalised.package
    assert package.title in text
    assert str(package.agency) == "乐仁社工服务社"
    assert "乐仁社工服务社" in text
    assert finalised.get_grade_display() in text
    assert str(finalised.final_score) in text
    assert "第三方中期评估报告" in text or finalised.get_stage_display() in text
    fonts = _font_names(pdf)
    assert fonts and all("CJK" in name or "Noto" in name for name in fonts), fonts


def test_r1_page_lists_the_report_and_the_agency_downloads_it(client, ask, manager, finalised):
    response = ask(manager, finalised)
    assert response.status_code == 302
    report = ReportFile.objects.get()
    assert report.status == ReportFile.Status.READY
    page = client.get(reverse("evaluation:evaluation-report", args=[finalised.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-testid="report-download"' in html
    assert str(manager) in html
    download = client.get(reverse("reporting:report-download", args=[report.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Cache-Control"] == "private, no-store"
    assert b"".join(download.streaming_content).startswith(b"%PDF-")


def test_r1_refused_before_finalisation(ask, personas, scored):
    for role in (Role.AGENCY_MANAGER, Role.TOWN_OFFICER, Role.BUREAU_ADMIN):
        assert ask(personas[role], scored).status_code == 404, role
    with pytest.raises(PermissionDenied):
        services.report_request(actor=personas[Role.BUREAU_ADMIN], kind=ReportFile.Kind.R1, evaluation=scored)
    assert not ReportFile.objects.exists()


def test_r1_another_agency_cannot_ask_for_or_download_the_report(client, ask, manager, outsiders, finalised):
    other = outsiders[Role.AGENCY_MANAGER]
    assert ask(other, finalised).status_code == 404
    with pytest.raises(PermissionDenied):
        services.report_request(actor=other, kind=ReportFile.Kind.R1, evaluation=finalised)
    assert not ReportFile.objects.exists()
    ask(manager, finalised)
    report = ReportFile.objects.get()
    assert report.status == ReportFile.Status.READY
    for role in (Role.AGENCY_MANAGER, Role.TOWN_OFFICER, Role.EVALUATOR):
        client.force_login(outsiders[role])
        assert client.get(reverse("reporting:report-download", args=[report.pk])).status_code == 404, role
        page = client.get(reverse("evaluation:evaluation-report", args=[finalised.pk]))
        assert page.status_code == 404
    client.logout()
    assert client.get(reverse("reporting:report-download", args=[report.pk])).status_code == 302  # to login


def test_r1_asking_twice_while_rendering_does_not_start_a_second_render(
    django_capture_on_commit_callbacks, manager, town_officer, finalised
):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        first = services.report_request(actor=manager, kind=ReportFile.Kind.R1, evaluation=finalised)
    assert len(callbacks) == 1
    ReportFile.objects.filter(pk=first.pk).update(status=ReportFile.Status.RENDERING)
    with django_capture_on_commit_callbacks(execute=False) as again:
        second = services.report_request(actor=town_officer, kind=ReportFile.Kind.R1, evaluation=finalised)
    assert second.pk == first.pk and again == []
    assert ReportFile.objects.count() == 1


def test_r1_a_render_lost_with_its_worker_is_failed_and_queued_afresh_when_asked_again(
    django_capture_on_commit_callbacks, settings, manager, finalised
):
    """A worker stopped mid-render leaves the report rendering; once that is older than the stale limit, asking
    again fails it with the reason and renders a fresh one (and the lost worker, finishing late, keeps nothing)."""
    import datetime

    from django.utils import timezone

    with django_capture_on_commit_callbacks(execute=False):
        lost = services.report_request(actor=manager, kind=ReportFile.Kind.R1, evaluation=finalised)
    ReportFile.objects.filter(pk=lost.pk).update(status=ReportFile.Status.RENDERING)
    settings.REPORT_RENDER_STALE_SECONDS = 600
    ReportFile.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - datetime.timedelta(seconds=599))
    with django_capture_on_commit_callbacks(execute=False) as again:
        assert services.report_request(actor=manager, kind=ReportFile.Kind.R1, evaluation=finalised).pk == lost.pk
    assert again == []  # not stale yet: still the one render
    ReportFile.objects.filter(pk=lost.pk).update(requested_at=timezone.now() - datetime.timedelta(seconds=601))
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.report_request(actor=manager, kind=ReportFile.Kind.R1, evaluation=finalised)
    lost.refresh_from_db()
    fresh.refresh_from_db()
    assert lost.status == ReportFile.Status.FAILED and "重新排队" in lost.error
    assert fresh.pk != lost.pk and fresh.status == ReportFile.Status.READY
    assert services.report_render(report_id=lost.pk) is None  # the lost worker's late claim finds nothing


def test_r1_a_failing_render_records_failed_with_the_reason(
    monkeypatch, django_capture_on_commit_callbacks, manager, finalised
):
    def broken(self):
        raise RuntimeError("字体缺失")

    monkeypatch.setattr("reporting.documents.Document.render", broken)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_request(actor=manager, kind=ReportFile.Kind.R1, evaluation=finalised)
    report.refresh_from_db()
    assert report.status == ReportFile.Status.FAILED
    assert "字体缺失" in report.error and not report.file
    # a failed report does not block a fresh request
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        fresh = services.report_request(actor=manager, kind=ReportFile.Kind.R1, evaluation=finalised)
    fresh.refresh_from_db()
    assert fresh.pk != report.pk and fresh.status == ReportFile.Status.READY


def test_r1_task_run_twice_renders_once(monkeypatch, django_capture_on_commit_callbacks, manager, finalised):
    with django_capture_on_commit_callbacks(execute=False):
        report = services.report_request(actor=manager, kind=ReportFile.Kind.R1, evaluation=finalised)
    renders = []
    original = r1_document(finalised).__class__.render

    def counting(self):
        renders.append(1)
        return original(self)

    monkeypatch.setattr("reporting.documents.Document.render", counting)
    assert render_report_task.delay(report.pk).get() == ReportFile.Status.READY
    assert render_report_task.delay(report.pk).get() is None
    assert len(renders) == 1
    report.refresh_from_db()
    assert report.status == ReportFile.Status.READY


def test_r1_page_says_when_the_data_changed_since_the_render(client, ask, manager, finalised):
    ask(manager, finalised)
    report = ReportFile.objects.get()
    url = reverse("evaluation:evaluation-report", args=[finalised.pk])
    assert 'data-testid="report-stale"' not in client.get(url).content.decode()
    package = finalised.package
    package.title = "双塔街道社工服务项目包（更名）"
    package.save(update_fields=["title"])
    html = client.get(url).content.decode()
    assert 'data-testid="report-stale"' in html
    assert 'data-testid="report-request"' in html
    assert report.status == ReportFile.Status.READY


def test_r1_render_report_command_writes_the_pdf(tmp_path, finalised):
    out = tmp_path / "r1.pdf"
    call_command("render_report", "r1", "--evaluation", str(finalised.pk), "--output", str(out))
    assert finalised.package.title in _text(out.read_bytes())
    by_package = tmp_path / "r1-package.pdf"
    call_command("render_report", "r1", "--package", str(finalised.package_id), "--output", str(by_package))
    assert by_package.read_bytes().startswith(b"%PDF-")

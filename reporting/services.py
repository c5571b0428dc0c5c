"""Asking for a PDF report and rendering it (R1–R5)."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .documents import document_for, subject_key
from .models import ReportFile
from .permissions import may_see_subject

MAX_ERROR_CHARS = 2000


@transaction.atomic
def report_request(*, actor, kind: str, evaluation=None, plan=None) -> ReportFile:
    """Queue a render of report `kind` of its subject and return the row. Asking while a render of the same report
    is queued or rendering returns that one: no second render (a partial unique index on the subject key holds
    this under concurrency too). The task is enqueued once the transaction commits."""
    if kind not in ReportFile.Kind.values:
        raise ValidationError(_("未知的报告类型。"), code="bad_kind")
    if kind not in (ReportFile.Kind.R1, ReportFile.Kind.R5):
        raise ValidationError(_("该类型的报告尚未开放。"), code="not_available")
    if kind == ReportFile.Kind.R1 and evaluation is None:
        raise ValidationError({"evaluation": _("请选择评估。")})
    if kind == ReportFile.Kind.R5 and plan is None:
        raise ValidationError({"plan": _("请选择服务计划。")})
    if kind == ReportFile.Kind.R5 and not plan.version:
        raise ValidationError(_("服务计划尚无批准版本。"), code="not_approved")
    if not may_see_subject(actor, kind, evaluation=evaluation, plan=plan):
        raise PermissionDenied
    if kind == ReportFile.Kind.R1:
        plan = None
    else:
        evaluation = None
    key = subject_key(kind, evaluation=evaluation, plan=plan)
    active = ReportFile.objects.filter(subject_key=key, status__in=ReportFile.ACTIVE).first()
    if active is not None:
        return active
    report = ReportFile(kind=kind, evaluation=evaluation, plan=plan, subject_key=key, requested_by=actor)
    report.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            report.save()
    except IntegrityError:
        # Someone asked at the same moment: theirs is the render.
        return ReportFile.objects.get(subject_key=key, status__in=ReportFile.ACTIVE)
    from .tasks import render_report_task

    transaction.on_commit(partial(render_report_task.delay, report.pk))
    return report


def report_render(*, report_id: int) -> ReportFile | None:
    """Render a queued report: claim it (queued → rendering; if another worker already has it, do nothing and
    return None), build the PDF, store it and mark it ready — or failed with the reason. Safe to run twice."""
    claimed = ReportFile.objects.filter(pk=report_id, status=ReportFile.Status.QUEUED).update(
        status=ReportFile.Status.RENDERING
    )
    if not claimed:
        return None
    report = ReportFile.objects.select_related("evaluation", "plan__package").get(pk=report_id)
    try:
        document = document_for(report)
        pdf = document.render()
    except Exception as exc:
        reason = f"{type(exc).__name__}: {exc}"[:MAX_ERROR_CHARS]
        ReportFile.objects.filter(pk=report_id, status=ReportFile.Status.RENDERING).update(
            status=ReportFile.Status.FAILED, error=reason, rendered_at=None
        )
        report.refresh_from_db()
        return report
    with transaction.atomic():
        report = ReportFile.objects.select_for_update().get(pk=report_id)
        if report.status != ReportFile.Status.RENDERING:
            return report
        report.file.save(report.filename, ContentFile(pdf), save=False)
        report.size = len(pdf)
        report.data_fingerprint = document.fingerprint
        report.status = ReportFile.Status.READY
        report.error = ""
        report.rendered_at = timezone.now()
        report.save(update_fields=["file", "size", "data_fingerprint", "status", "error", "rendered_at"])
    return report

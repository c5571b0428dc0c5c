"""Asking for a PDF report and rendering it (R1–R5)."""

from __future__ import annotations

import datetime
from functools import partial

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .documents import document_for, r2_period_problem, r3_year_problem, subject_key
from .models import ReportFile
from .permissions import may_see_subject

MAX_ERROR_CHARS = 2000
AVAILABLE = tuple(ReportFile.Kind.values)
YEARLY = (ReportFile.Kind.R2, ReportFile.Kind.R3, ReportFile.Kind.R4)


@transaction.atomic
def report_request(
    *, actor, kind: str, evaluation=None, plan=None, package=None, year: int | None = None, month: int | None = None
) -> ReportFile:
    """Queue a render of report `kind` of its subject and return the row. Asking while a render of the same report
    is queued or rendering returns that one: no second render (a partial unique index on the subject key holds
    this under concurrency too). The task is enqueued once the transaction commits.

    Subjects: R1 an evaluation, R2 a package with a year and optionally a month, R3 and R4 a year, R5 a plan."""
    if kind not in ReportFile.Kind.values:
        raise ValidationError(_("未知的报告类型。"), code="bad_kind")
    if kind not in AVAILABLE:
        raise ValidationError(_("该类型的报告尚未开放。"), code="not_available")
    if kind == ReportFile.Kind.R1 and evaluation is None:
        raise ValidationError({"evaluation": _("请选择评估。")})
    if kind == ReportFile.Kind.R5 and plan is None:
        raise ValidationError({"plan": _("请选择服务计划。")})
    if kind == ReportFile.Kind.R5 and not plan.version:
        raise ValidationError(_("服务计划尚无批准版本。"), code="not_approved")
    if kind == ReportFile.Kind.R2 and package is None:
        raise ValidationError({"package": _("请选择服务项目包。")})
    if not may_see_subject(actor, kind, evaluation=evaluation, plan=plan, package=package):
        raise PermissionDenied
    if kind == ReportFile.Kind.R2:
        problem = r2_period_problem(package, year, month)
        if problem:
            raise ValidationError(problem)
    if kind in (ReportFile.Kind.R3, ReportFile.Kind.R4):
        problem = r3_year_problem(year)
        if problem:
            raise ValidationError({"year": problem})
    evaluation = evaluation if kind == ReportFile.Kind.R1 else None
    plan = plan if kind == ReportFile.Kind.R5 else None
    package = package if kind == ReportFile.Kind.R2 else None
    if kind not in YEARLY:
        year = None
    if kind != ReportFile.Kind.R2:
        month = None
    key = subject_key(kind, evaluation=evaluation, plan=plan, package=package, year=year, month=month)
    active = ReportFile.objects.select_for_update().filter(subject_key=key, status__in=ReportFile.ACTIVE).first()
    if active is not None:
        if not _is_lost(active):
            return active
        # Its worker was stopped mid-render (or the queue lost the task): fail it, so a fresh render may start.
        # A worker that finishes it after all finds it no longer rendering and keeps nothing.
        ReportFile.objects.filter(pk=active.pk, status__in=ReportFile.ACTIVE).update(
            status=ReportFile.Status.FAILED, error=_("生成超时：处理进程可能已中断，已重新排队。")
        )
    report = ReportFile(
        kind=kind,
        evaluation=evaluation,
        plan=plan,
        package=package,
        year=year,
        month=month,
        subject_key=key,
        requested_by=actor,
    )
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


def _is_lost(report: ReportFile) -> bool:
    stale = datetime.timedelta(seconds=settings.REPORT_RENDER_STALE_SECONDS)
    return report.requested_at is not None and timezone.now() - report.requested_at > stale


def report_render(*, report_id: int) -> ReportFile | None:
    """Render a queued report: claim it (queued → rendering; if another worker already has it, do nothing and
    return None), build the PDF, store it and mark it ready — or failed with the reason. Safe to run twice."""
    claimed = ReportFile.objects.filter(pk=report_id, status=ReportFile.Status.QUEUED).update(
        status=ReportFile.Status.RENDERING
    )
    if not claimed:
        return None
    report = ReportFile.objects.select_related(
        "evaluation", "plan__package", "package__town", "package__agency__organisation", "package__round"
    ).get(pk=report_id)
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

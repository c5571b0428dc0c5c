"""Pages of monthly service reports (S1–S3): the package's month calendar with overdue flags, the report form
with autosave, private attachments, the town's confirmation, corrections and versions, the package's
progress with a chart (S4) and the xlsx export."""

from __future__ import annotations

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.permissions import require
from core.uploads import private_file_response
from delivery.models import ReportAttachment, ReportLine, ServiceReport
from delivery.permissions import (
    can_confirm_report,
    can_export_reports,
    can_file_report,
    can_view_report,
    can_view_town_focus_issues,
)
from delivery.selectors import focus_issue_list, report_get, report_list
from procurement.permissions import can_view_package
from procurement.selectors import package_get

from .. import workflow
from ..corrections import correction_changes
from ..forms.reports import AttachmentForm, ReportCreateForm, ReportForm, ReturnForm
from ..progress import package_progress_report
from ..services import reports as services
from ..services.focus import focus_issue_counts

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
Status = ServiceReport.Status


def _lines(report: ServiceReport) -> list[ReportLine]:
    return list(
        report.lines.select_related("plan_item__item__category", "plan_item__community").order_by(
            "plan_item__community__name", "plan_item__item__code", "plan_item_id"
        )
    )


def _error_text(exc: ValidationError) -> str:
    return " ".join(exc.messages)


# --- the month calendar (S1) ---------------------------------------------------------------------


@login_required
def report_list_view(request, pk: int):
    """Every month of the package so far: its report versions, status, due date and the S1 overdue flag."""
    package = package_get(user=request.user, pk=pk)
    reports = list(report_list(user=request.user, package=package))
    context = {
        "package": package,
        "months": workflow.report_calendar(package, reports, timezone.localdate()),
        "can_file": can_file_report(request.user, package),
        "can_export": can_export_reports(request.user, package),
        "due_day": package.round.report_due_day,
    }
    return render(request, "delivery/reports/report_list.html", context)


@login_required
@require_POST
def report_create_view(request, pk: int):
    package = package_get(user=request.user, pk=pk)
    require(can_file_report(request.user, package))
    form = ReportCreateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请选择有效的年份和月份。"))
        return redirect("delivery:report-list", pk=package.pk)
    try:
        report = services.report_create(actor=request.user, package=package, **form.cleaned_data)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        existing = (
            ServiceReport.objects.filter(package=package, **form.cleaned_data)
            .exclude(status=Status.SUPERSEDED)
            .order_by("-version")
            .first()
        )
        if existing is not None:
            return redirect(existing)
        return redirect("delivery:report-list", pk=package.pk)
    messages.success(request, _("已建立 %(y)d年%(m)d月的报告草稿。") % {"y": report.year, "m": report.month})
    return redirect("delivery:report-edit", pk=report.pk)


# --- one report ----------------------------------------------------------------------------------


def _detail_context(request, report: ServiceReport, return_form: ReturnForm | None = None) -> dict:
    user = request.user
    versions = list(
        report_list(user=user, package=report.package).filter(year=report.year, month=report.month).order_by("-version")
    )
    pending_correction = next((v for v in versions if v.status not in (Status.CONFIRMED, Status.SUPERSEDED)), None)
    lines = _lines(report)
    attachments = list(
        report.attachments.select_related("line__plan_item__item", "line__plan_item__community", "uploaded_by")
    )
    changes = None
    if report.supersedes_id:
        changes = correction_changes(report.supersedes, _lines(report.supersedes), report, lines)
    may_file = can_file_report(user, report.package)
    may_confirm = can_confirm_report(user, report) and workflow.S3.allows(report.status, Status.CONFIRMED)
    return {
        "report": report,
        "package": report.package,
        "lines": lines,
        "attachments": attachments,
        "versions": versions,
        "changes": changes,
        "due_on": workflow.report_due_date(report.package, report.year, report.month),
        "can_edit": may_file and workflow.report_is_editable(report.status),
        "can_correct": may_file and workflow.S3.allows(report.status, Status.SUPERSEDED) and pending_correction is None,
        "pending_correction": pending_correction if report.status == Status.CONFIRMED else None,
        "can_confirm": may_confirm,
        "return_form": return_form or (ReturnForm() if may_confirm else None),
    }


@login_required
def report_detail(request, pk: int):
    report = report_get(user=request.user, pk=pk)
    return render(request, "delivery/reports/report_detail.html", _detail_context(request, report))


def _edit_context(report: ServiceReport, form: ReportForm, lines: list[ReportLine], attach_form=None) -> dict:
    return {
        "report": report,
        "package": report.package,
        "form": form,
        "attach_form": attach_form or AttachmentForm(report=report, lines=lines, html_form="report-form"),
        "attachments": list(report.attachments.select_related("line__plan_item__item", "line__plan_item__community")),
        "due_on": workflow.report_due_date(report.package, report.year, report.month),
        # Lines already filled in start folded on a first draft; a returned report or a correction is being
        # checked line by line, so everything stays open there.
        "fold_finished": report.status == ServiceReport.Status.DRAFT and not report.supersedes_id,
        "submit_blocked": (
            None
            if workflow.report_month_is_submittable(report.year, report.month, timezone.localdate())
            else services.month_not_over_message(report.year, report.month)
        ),
    }


@login_required
def report_edit(request, pk: int):
    """The report form: one row per plan item. "Save" keeps a draft; "Submit" saves and submits — if either
    fails, the page comes back with everything the user typed and the reason next to the field."""
    report = report_get(user=request.user, pk=pk)
    require(can_file_report(request.user, report.package))
    if not workflow.report_is_editable(report.status):
        messages.error(request, _("该报告当前为「%(s)s」，不能编辑。") % {"s": report.get_status_display()})
        return redirect(report)
    lines = _lines(report)
    if request.method != "POST":
        form = ReportForm(lines=lines, initial={"summary": report.summary})
        return render(request, "delivery/reports/report_form.html", _edit_context(report, form, lines))
    form = ReportForm(request.POST, lines=lines)
    form.is_valid()
    status = 200
    try:
        report = services.report_save_draft(
            actor=request.user,
            report=report,
            summary=request.POST.get("summary", report.summary),
            lines=form.lines_data(),
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        status = 400
    else:
        if request.POST.get("action") != "submit":
            messages.success(request, _("草稿已保存。"))
            return redirect("delivery:report-edit", pk=report.pk)
        try:
            report = services.report_submit(actor=request.user, report=report)
        except ValidationError as exc:
            add_service_errors(form, exc)
            form.add_error(None, _("报告未提交，您填写的内容已保存为草稿。"))
            status = 400
        else:
            messages.success(request, _("报告已提交，等待街镇确认。"))
            return redirect(report)
    return render(request, "delivery/reports/report_form.html", _edit_context(report, form, lines), status=status)


@login_required
@require_POST
def report_autosave(request, pk: int):
    """htmx: save the draft on every change and say so (or say what is wrong) next to the form."""
    report = report_get(user=request.user, pk=pk)
    require(can_file_report(request.user, report.package))
    form = ReportForm(request.POST, lines=_lines(report))
    context = {"saved_at": None, "errors": []}
    try:
        services.report_save_draft(
            actor=request.user,
            report=report,
            summary=request.POST.get("summary", report.summary),
            lines=form.lines_data(),
        )
    except ValidationError as exc:
        context["errors"] = exc.messages
    else:
        context["saved_at"] = timezone.localtime()
    return render(request, "delivery/reports/partials/_autosave_status.html", context)


@login_required
@require_POST
def report_attach_view(request, pk: int):
    """Upload a photo or sign-in sheet. The edit page's upload button submits the whole report form here, so
    whatever was typed is saved as the draft first (even if the file is then refused): nothing typed is lost."""
    report = report_get(user=request.user, pk=pk)
    require(can_file_report(request.user, report.package))
    lines = _lines(report)
    if "summary" in request.POST and workflow.report_is_editable(report.status):
        report_form = ReportForm(request.POST, lines=lines)
        report_form.is_valid()
        try:
            report = services.report_save_draft(
                actor=request.user, report=report, summary=request.POST["summary"], lines=report_form.lines_data()
            )
        except ValidationError as exc:
            add_service_errors(report_form, exc)
            report_form.add_error(
                None, _("附件未上传：请先改正下面标出的内容，再重新选择文件上传。您填写的内容仍在页面上。")
            )
            return render(
                request, "delivery/reports/report_form.html", _edit_context(report, report_form, lines), status=400
            )
    form = AttachmentForm(request.POST, request.FILES, report=report, lines=lines)
    if form.is_valid():
        line = form.line_by_id.get(form.cleaned_data["line"]) if form.cleaned_data["line"] else None
        uploaded = 0
        for name, upload in form.uploads():
            try:
                attachment = services.report_attach(actor=request.user, report=report, file=upload, line=line)
            except ValidationError as exc:
                if name == "photo" and "file" in getattr(exc, "message_dict", {}):
                    exc = ValidationError({"photo": exc.message_dict["file"]})
                add_service_errors(form, exc)
            else:
                uploaded += 1
                messages.success(request, _("附件“%(name)s”已上传。") % {"name": attachment.original_name})
        if uploaded and not form.errors:
            return redirect("delivery:report-edit", pk=report.pk)
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, _("附件未上传：%(e)s") % {"e": error})
    return redirect(
        "delivery:report-edit" if workflow.report_is_editable(report.status) else "delivery:report-detail", pk=report.pk
    )


def _attachment(request, pk: int) -> ReportAttachment:
    attachment = get_object_or_404(
        ReportAttachment.objects.select_related(
            "report__package__agency", "report__package__town__district", "report__package__round"
        ),
        pk=pk,
    )
    if not can_view_report(request.user, attachment.report):
        raise Http404
    return attachment


@login_required
def report_attachment_download(request, pk: int):
    """Private files: served only here, only to whoever may see the report, never from a public URL."""
    attachment = _attachment(request, pk)
    return private_file_response(
        attachment.file,
        filename=attachment.original_name,
        content_type=attachment.content_type,
        as_attachment=request.GET.get("download") == "1" or attachment.content_type == "application/pdf",
    )


@login_required
@require_POST
def report_attachment_delete(request, pk: int):
    attachment = _attachment(request, pk)
    require(can_file_report(request.user, attachment.report.package))
    report = attachment.report
    try:
        services.report_attachment_delete(actor=request.user, attachment=attachment)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(report)
    messages.success(request, _("附件已删除。"))
    return redirect("delivery:report-edit", pk=report.pk)


@login_required
@require_POST
def report_confirm_view(request, pk: int):
    report = report_get(user=request.user, pk=pk)
    require(can_confirm_report(request.user, report))
    try:
        report = services.report_confirm(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("报告已确认。"))
    return redirect(report)


@login_required
@require_POST
def report_return_view(request, pk: int):
    report = report_get(user=request.user, pk=pk)
    require(can_confirm_report(request.user, report))
    form = ReturnForm(request.POST)
    form.is_valid()
    try:
        report = services.report_return(actor=request.user, report=report, reason=form.cleaned_data.get("reason", ""))
    except ValidationError as exc:
        add_service_errors(form, exc)
        context = _detail_context(request, report, return_form=form)
        return render(request, "delivery/reports/report_detail.html", context, status=400)
    messages.success(request, _("报告已退回机构修改。"))
    return redirect(report)


@login_required
@require_POST
def report_correct_view(request, pk: int):
    report = report_get(user=request.user, pk=pk)
    require(can_file_report(request.user, report.package))
    try:
        correction = services.report_correct(actor=request.user, report=report)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(report)
    messages.success(request, _("已生成第 %(v)d 版更正草稿；原报告在更正确认前继续有效。") % {"v": correction.version})
    return redirect("delivery:report-edit", pk=correction.pk)


# --- export and progress -------------------------------------------------------------------------


@login_required
def report_export(request, pk: int):
    """The package's reports (every version but the superseded ones) as xlsx: one sheet of reports, one of lines."""
    package = package_get(user=request.user, pk=pk)
    if not can_export_reports(request.user, package):
        raise Http404
    reports = list(
        report_list(user=request.user, package=package)
        .exclude(status=Status.SUPERSEDED)
        .order_by("year", "month", "version")
        .prefetch_related(
            Prefetch(
                "lines",
                queryset=ReportLine.objects.select_related("plan_item__item", "plan_item__community").order_by(
                    "plan_item__community__name", "plan_item__item__code", "plan_item_id"
                ),
            )
        )
    )
    content = services.report_export_xlsx(package=package, reports=reports)
    response = HttpResponse(content, content_type=XLSX)
    filename = f"reports-{package.pk}-{timezone.localdate():%Y%m%d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _parse_on(raw: str | None) -> datetime.date:
    try:
        return datetime.date.fromisoformat(raw) if raw else timezone.localdate()
    except ValueError:
        return timezone.localdate()


@login_required
def package_progress_view(request, pk: int):
    """S4: per plan item, confirmed output to date against the annual target and the elapsed share of the plan
    year, lagging items flagged; with the chart and the counts of resolved focus issues (S5)."""
    package = package_get(user=request.user, pk=pk)
    on = _parse_on(request.GET.get("on"))
    progress = package_progress_report(package, on)
    chart = {
        "labels": [
            f"{row.plan_item.display_name} · {row.plan_item.community.name if row.plan_item.community_id else _('街镇')}"
            for row in progress.items
        ],
        "progress": [float(row.progress_pct) for row in progress.items],
        "expected": float(progress.expected_pct),
        "lagging": [row.lagging for row in progress.items],
        "legend": {"progress": _("完成进度（%）"), "expected": _("应完成进度（%）")},
    }
    focus = focus_issue_list(user=request.user)
    context = {
        "package": package,
        "progress": progress,
        "chart": chart,
        "chart_height": max(240, 36 * len(progress.items) + 80),
        "focus_by_year_agency": focus_issue_counts(by="year", issues=focus, agency=package.agency),
        "focus_by_year_town": focus_issue_counts(by="year", issues=focus, town=package.town),
        "can_view_town_page": can_view_town_focus_issues(request.user, package.town),
        "can_view_package": can_view_package(request.user, package),
    }
    return render(request, "delivery/reports/package_progress.html", context)


urlpatterns = [
    path("packages/<int:pk>/reports/", report_list_view, name="report-list"),
    path("packages/<int:pk>/reports/new/", report_create_view, name="report-create"),
    path("packages/<int:pk>/reports/export.xlsx", report_export, name="report-export"),
    path("packages/<int:pk>/progress/", package_progress_view, name="package-progress"),
    path("reports/<int:pk>/", report_detail, name="report-detail"),
    path("reports/<int:pk>/edit/", report_edit, name="report-edit"),
    path("reports/<int:pk>/autosave/", report_autosave, name="report-autosave"),
    path("reports/<int:pk>/attachments/", report_attach_view, name="report-attach"),
    path("reports/<int:pk>/confirm/", report_confirm_view, name="report-confirm"),
    path("reports/<int:pk>/return/", report_return_view, name="report-return"),
    path("reports/<int:pk>/correct/", report_correct_view, name="report-correct"),
    path("reports/attachments/<int:pk>/", report_attachment_download, name="report-attachment"),
    path("reports/attachments/<int:pk>/delete/", report_attachment_delete, name="report-attachment-delete"),
]

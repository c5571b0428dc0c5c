"""The public city statistics page (the role table: anyone sees "city statistics") and the PDF reports: asking for
a render and downloading it, both only for those who may see the report's subject (outsiders get 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from core.uploads import private_file_response
from delivery.models import ServicePlan
from evaluation.selectors import evaluation_result_list
from funds.selectors import fund_statistics
from procurement.selectors import package_list

from .models import ReportFile
from .permissions import can_view_report_file
from .selectors import report_file_list
from .services import report_request
from .statistics import city_statistics


@require_GET
def city_statistics_view(request):
    """City statistics for everyone: aggregates only (see reporting/statistics.py for the definitions)."""
    stats = city_statistics()
    chart = {
        "labels": [y.year for y in stats.years],
        "datasets": [
            {"label": _("具备资格的社工机构"), "data": [y.agencies for y in stats.years], "borderColor": "#1565c0"},
            {"label": _("社会工作者"), "data": [y.social_workers for y in stats.years], "borderColor": "#2e7d32"},
            {"label": _("持证社工"), "data": [y.certified for y in stats.years], "borderColor": "#ef6c00"},
        ],
    }
    context = {"stats": stats, "chart": chart, "funds": fund_statistics()}
    return render(request, "reporting/statistics.html", context)


@login_required
@require_POST
def r1_request_view(request, evaluation_pk: int):
    """R1: ask for the PDF of a finalised evaluation report (before finalisation it does not exist: 404)."""
    evaluation = get_object_or_404(evaluation_result_list(user=request.user), pk=evaluation_pk)
    try:
        report = report_request(actor=request.user, kind=ReportFile.Kind.R1, evaluation=evaluation)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        _request_messages(request, report)
    return redirect("evaluation:evaluation-report", pk=evaluation.pk)


def _request_messages(request, report: ReportFile) -> None:
    if report.requested_by_id == request.user.pk and report.status == ReportFile.Status.QUEUED:
        messages.success(request, _("已提交生成PDF，请稍后刷新页面。"))
    elif report.status == ReportFile.Status.READY:
        messages.success(request, _("PDF 已生成。"))
    elif report.status == ReportFile.Status.FAILED:
        messages.error(request, _("PDF 生成失败：%(reason)s") % {"reason": report.error})
    else:
        messages.info(request, _("该报告正在生成中，请稍后刷新页面。"))


@login_required
@require_POST
def r5_request_view(request, plan_pk: int):
    """R5: ask for the PDF of a plan's approved version (a plan of a package the user does not see: 404)."""
    plan = get_object_or_404(
        ServicePlan.objects.select_related("package"), pk=plan_pk, package__in=package_list(user=request.user)
    )
    try:
        report = report_request(actor=request.user, kind=ReportFile.Kind.R5, plan=plan)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        _request_messages(request, report)
    return redirect("delivery:plan-detail", pk=plan.package_id)


@login_required
@require_GET
def report_download_view(request, pk: int):
    """A rendered PDF, for those who may see its subject; anyone else (and a report not ready) gets 404."""
    report = get_object_or_404(report_file_list(user=request.user), pk=pk)
    if not can_view_report_file(request.user, report) or report.status != ReportFile.Status.READY:
        raise Http404
    return private_file_response(report.file, filename=report.filename, content_type="application/pdf")


urlpatterns = [
    path("statistics/", city_statistics_view, name="city-statistics"),
    path("reports/r1/<int:evaluation_pk>/request/", r1_request_view, name="report-r1-request"),
    path("reports/r5/<int:plan_pk>/request/", r5_request_view, name="report-r5-request"),
    path("reports/<int:pk>/download/", report_download_view, name="report-download"),
]

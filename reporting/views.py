"""The public city statistics page (the role table: anyone sees "city statistics") and the PDF reports: asking for
a render and downloading it, both only for those who may see the report's subject (outsiders get 404)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET, require_POST

from core.permissions import require
from core.uploads import private_file_response
from delivery.models import ServicePlan
from directory.permissions import dashboard_area
from evaluation.selectors import evaluation_result_list
from procurement.selectors import package_get, package_list

from .caching import area_figures_cached, city_annual_cached, city_statistics_cached, fund_statistics_cached
from .documents import r3_charts, r3_year_problem
from .figures import PackageFlag
from .models import ReportFile
from .permissions import can_request_r2, can_request_r3, can_request_r4, can_view_report_file
from .selectors import report_file_list
from .services import report_request
from .statistics import FIRST_YEAR


@require_GET
def city_statistics_view(request):
    """City statistics for everyone: aggregates only (see reporting/statistics.py for the definitions)."""
    stats = city_statistics_cached()
    chart = {
        "labels": [y.year for y in stats.years],
        "datasets": [
            {"label": _("具备资格的社工机构"), "data": [y.agencies for y in stats.years], "borderColor": "#1565c0"},
            {"label": _("社会工作者"), "data": [y.social_workers for y in stats.years], "borderColor": "#2e7d32"},
            {"label": _("持证社工"), "data": [y.certified for y in stats.years], "borderColor": "#ef6c00"},
        ],
    }
    context = {"stats": stats, "chart": chart, "funds": fund_statistics_cached()}
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


def _int_or_none(value) -> int | None:
    value = (value or "").strip()
    if not (value.isascii() and value.isdigit()) or len(value) > 4:  # "²".isdigit() is True, int("²") fails
        return None
    return int(value)


@login_required
@require_POST
def r2_request_view(request, package_pk: int):
    """R2: ask for a package's progress report for a year or one month (a package the user does not see: 404;
    one it sees but whose money it may not read — a community officer: 403)."""
    package = package_get(user=request.user, pk=package_pk)
    require(can_request_r2(request.user, package))
    year = _int_or_none(request.POST.get("year"))
    month = _int_or_none(request.POST.get("month"))
    try:
        report = report_request(actor=request.user, kind=ReportFile.Kind.R2, package=package, year=year, month=month)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        _request_messages(request, report)
    return redirect("delivery:package-progress", pk=package.pk)


@login_required
@require_POST
def r3_request_view(request):
    """R3: ask for the city annual report of a year (the bureau and the auditor; anyone else: 404)."""
    return _yearly_request(request, ReportFile.Kind.R3, allowed=can_request_r3(request.user), page="city-annual")


def _yearly_request(request, kind: str, *, allowed: bool, page: str):
    """Ask for a yearly city-wide report (R3, R4) from its page's form; back to that page for the year."""
    if not allowed:
        raise Http404
    year = _int_or_none(request.POST.get("year"))
    try:
        report = report_request(actor=request.user, kind=kind, year=year)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        _request_messages(request, report)
    return redirect(f"{reverse(f'reporting:{page}')}?year={year or ''}")


@login_required
@require_GET
def city_annual_view(request):
    """R3 on a page: the city annual report's figures and charts for a year (the same `city_annual` the PDF
    prints), with its PDFs. The bureau and the auditor only."""
    if not can_request_r3(request.user):
        raise Http404
    today = timezone.localdate()
    year = _int_or_none(request.GET.get("year")) or today.year
    if r3_year_problem(year):
        year = today.year
    annual = city_annual_cached(year)
    context = {
        "annual": annual,
        "stats": annual.stats,
        "charts": r3_charts(annual),
        "year": year,
        "years": list(range(today.year, FIRST_YEAR - 1, -1)),
    }
    return render(request, "reporting/city_annual.html", context)


SHOW = {
    "active": _lazy("服务中的项目包"),
    "lagging": _lazy("进度滞后的项目包"),
    "overdue": _lazy("月报逾期的项目包"),
    "evaluations": _lazy("待完成的第三方评估（30 天内到期或已逾期）"),
}


@login_required
@require_GET
def dashboard_packages_view(request):
    """The list behind a dashboard figure: the packages of the user's dashboard area in service, lagging (S4),
    with overdue reports (S1), or the evaluations due — computed by the same `area_figures` as the figure."""
    area = dashboard_area(request.user)
    if area is None:
        raise Http404
    show = request.GET.get("show", "active")
    if show not in SHOW:
        show = "active"
    figures = area_figures_cached(area)
    if show == "lagging":
        rows = figures.lagging
    elif show == "overdue":
        rows = figures.overdue
    elif show == "evaluations":
        rows = figures.evaluations_due
    else:
        rows = [PackageFlag(package=p) for p in figures.packages]
    context = {"show": show, "title": SHOW[show], "rows": rows, "choices": SHOW.items(), "area": area}
    return render(request, "reporting/dashboard_packages.html", context)


@login_required
@require_POST
def r4_request_view(request):
    """R4: ask for the compliance report of a year (the bureau and the auditor; anyone else: 404)."""
    return _yearly_request(request, ReportFile.Kind.R4, allowed=can_request_r4(request.user), page="compliance-report")


@login_required
@require_GET
def compliance_report_view(request):
    """R4 on a page: the year's findings by rule, district and age (the same `findings_summary` the PDF prints),
    with its PDFs. The bureau and the auditor only."""
    from compliance.summary import findings_summary

    if not can_request_r4(request.user):
        raise Http404
    today = timezone.localdate()
    year = _int_or_none(request.GET.get("year")) or today.year
    if r3_year_problem(year):
        year = today.year
    context = {
        "summary": findings_summary(year),
        "year": year,
        "years": list(range(today.year, FIRST_YEAR - 1, -1)),
    }
    return render(request, "reporting/compliance_report.html", context)


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
    path("reports/r2/<int:package_pk>/request/", r2_request_view, name="report-r2-request"),
    path("reports/r3/request/", r3_request_view, name="report-r3-request"),
    path("reports/r4/request/", r4_request_view, name="report-r4-request"),
    path("reports/compliance/", compliance_report_view, name="compliance-report"),
    path("reports/city/", city_annual_view, name="city-annual"),
    path("dashboard/packages/", dashboard_packages_view, name="dashboard-packages"),
    path("reports/<int:pk>/download/", report_download_view, name="report-download"),
]

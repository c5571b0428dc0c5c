"""What each PDF report is built from: its subject key, its template and context, and the fingerprint of the data
(so a rendered report can tell that its data changed since). One function per kind; the pages that show the same
numbers in HTML use the same context functions (R1: `evaluation.selectors.evaluation_report_context`)."""

from __future__ import annotations

import datetime
import hashlib
import json
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q, Sum
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import ServiceItem
from core.dashboard import Area, Chart, groups_for
from core.pdf import render_pdf
from delivery.models import FocusIssue, PlanVersion, ReportLine, ServicePlan, ServiceReport
from delivery.progress import package_progress_report
from delivery.workflow import month_bounds, report_calendar
from directory.models import Organisation
from evaluation.models import Evaluation
from evaluation.selectors import evaluation_report_context
from funds.selectors import package_money

from .charts import pie_chart, stacked_bar_chart
from .figures import CityAnnual, city_annual
from .models import ReportFile
from .statistics import FIRST_YEAR


@dataclass(frozen=True)
class Document:
    template: str
    context: dict
    fingerprint: str

    def render(self) -> bytes:
        return render_pdf(self.template, self.context)


def fingerprint(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str, ensure_ascii=False).encode()).hexdigest()


def issuer_name() -> str:
    """The issuing organisation printed in every report's running header: the bureau."""
    name = Organisation.objects.filter(kind=Organisation.Kind.BUREAU).order_by("pk").values_list("name", flat=True)
    return name.first() or _("苏州市民政局")


def subject_key(kind: str, *, evaluation=None, package=None, plan=None, year=None, month=None) -> str:
    """kind + subject + period, e.g. "r2:package=3,year=2026,month=5" or "r3:year=2026"."""
    parts = [
        f"{label}={value}"
        for label, value in (
            ("evaluation", getattr(evaluation, "pk", None)),
            ("package", getattr(package, "pk", None)),
            ("plan", getattr(plan, "pk", None)),
            ("year", year),
            ("month", month),
        )
        if value is not None
    ]
    return f"{kind}:{','.join(parts)}"


# --- R1: the finalised evaluation report of a package ------------------------------------------------


def r1_data(context: dict) -> dict:
    """The facts R1 prints, as plain values (what the fingerprint covers)."""
    evaluation: Evaluation = context["evaluation"]
    package = evaluation.package
    return {
        "stage": evaluation.stage,
        "package": [
            package.pk,
            package.title,
            package.town.name,
            str(package.agency),
            package.starts_on,
            package.ends_on,
        ],
        "firm": evaluation.firm.name,
        "rubric": str(evaluation.rubric),
        "evaluators": context["evaluator_count"],
        "dimensions": evaluation.dimension_scores,
        "scores": [
            evaluation.package_score,
            evaluation.spread,
            evaluation.two_way_score,
            evaluation.third_party_weight,
            evaluation.two_way_weight,
            evaluation.final_score,
            evaluation.grade,
        ],
        "finalised": [evaluation.finalised_at, str(evaluation.finalised_by)],
    }


def r1_document(evaluation: Evaluation) -> Document:
    """R1: the finalised evaluation (the caller has checked `can_view_result`). Rendered in Chinese."""
    with translation.override("zh-hans"):
        context = evaluation_report_context(evaluation)
        title = _("第三方%(stage)s报告") % {"stage": evaluation.get_stage_display()}
    context.update(title=title, issuer=issuer_name(), issued_on=timezone.localdate())
    return Document("reports/r1_evaluation.html", context, fingerprint(r1_data(context)))


# --- R5: a plan's approved version, for signature -------------------------------------------------------


def latest_version(plan: ServicePlan) -> PlanVersion | None:
    return plan.versions.select_related("approved_by").order_by("-number").first()


def _unit_label(code: str) -> str:
    try:
        return str(ServiceItem.Unit(code).label)
    except ValueError:
        return code


def r5_document(plan: ServicePlan) -> Document:
    """R5: the plan's latest approved version (its frozen snapshot, P7), with a signature block. The caller has
    checked `can_request_r5`; a plan never approved has nothing to print."""
    version = latest_version(plan)
    if version is None:
        raise ValueError(_("服务计划尚无批准版本。"))
    package = plan.package
    with translation.override("zh-hans"):
        rows = [
            {**row, "unit_label": _unit_label(row.get("unit", "")), "place": row.get("community") or _("街镇层面")}
            for row in version.snapshot
        ]
        years = sorted({row["year"] for row in rows})
        title = _("服务计划（第 %(n)s 版）") % {"n": version.number}
    context = {
        "plan": plan,
        "package": package,
        "version": version,
        "years": [{"year": y, "rows": [r for r in rows if r["year"] == y]} for y in years],
        "title": title,
        "issuer": issuer_name(),
        "issued_on": timezone.localdate(),
    }
    data = {
        "package": [
            package.pk,
            package.title,
            package.town.name,
            str(package.agency),
            package.starts_on,
            package.ends_on,
        ],
        "version": [version.number, version.reason, version.approved_at, str(version.approved_by)],
        "snapshot": version.snapshot,
    }
    return Document("reports/r5_plan.html", context, fingerprint(data))


# --- R2: a package's progress for a month or a year ------------------------------------------------------


def r2_period(package, year: int, month: int | None) -> tuple[datetime.date, datetime.date]:
    """The days R2 covers: the month, or the calendar year, cut to the package's period."""
    if month:
        first, last = month_bounds(year, month)
    else:
        first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    return max(first, package.starts_on), min(last, package.ends_on)


def r2_period_problem(
    package, year: int | None, month: int | None, today: datetime.date | None = None
) -> dict[str, str] | None:
    """Why R2 of this period cannot be printed, by form field (None: it can): a month or year outside the
    package's period or not begun yet."""
    today = today or timezone.localdate()
    if not year or not (FIRST_YEAR <= year <= today.year):
        return {"year": _("请选择 %(a)d 年至 %(b)d 年之间的年度。") % {"a": FIRST_YEAR, "b": today.year}}
    if month is not None and not (1 <= month <= 12):
        return {"month": _("月份应在 1 至 12 之间。")}
    first, last = r2_period(package, year, month)
    field = "month" if month else "year"
    if first > last:
        return {
            field: _("所选期间不在该项目包的服务期内（%(a)s 至 %(b)s）。")
            % {"a": package.starts_on, "b": package.ends_on}
        }
    if first > today:
        return {field: _("所选期间尚未开始。")}
    return None


def r2_document(package, year: int, month: int | None = None) -> Document:
    """R2: targets vs output per plan item and place (S4 as of the period's last day, or today if earlier), the
    output of the period itself, lagging items, the monthly reports of the period (S1), the package's focus issues
    registered or resolved in the period (S5) and the money paid (F3). The caller has checked `can_request_r2`."""
    today = timezone.localdate()
    first, last = r2_period(package, year, month)
    on = min(last, today)
    progress = package_progress_report(package, on)
    in_period = Q(report__year__gt=first.year) | Q(report__year=first.year, report__month__gte=first.month)
    in_period &= Q(report__year__lt=on.year) | Q(report__year=on.year, report__month__lte=on.month)
    period_sums = {
        row["plan_item_id"]: row
        for row in ReportLine.objects.filter(
            plan_item__in=[r.plan_item.pk for r in progress.items],
            report__status=ServiceReport.Status.CONFIRMED,
        )
        .filter(in_period)
        .values("plan_item_id")
        .annotate(sessions=Sum("sessions"), attendances=Sum("attendances"), households=Sum("households"))
        .order_by()
    }
    reports = ServiceReport.objects.filter(package=package).only("package_id", "year", "month", "version", "status")
    months = [
        m
        for m in report_calendar(package, list(reports), today)
        if first <= datetime.date(m.year, m.month, 1) <= on or (m.year, m.month) == (first.year, first.month)
    ]
    months.sort(key=lambda m: (m.year, m.month))
    focus = list(
        FocusIssue.objects.filter(package=package)
        .filter(
            Q(reported_at__date__gte=first, reported_at__date__lte=last)
            | Q(resolved_on__gte=first, resolved_on__lte=last)
        )
        .select_related("community")
        .order_by("community__name", "reported_at", "pk")
    )
    money = package_money(package, today=today)
    payments = [p for p in money.payments if p.paid_on <= on]
    with translation.override("zh-hans"):
        rows = [
            {
                "row": r,
                "name": r.plan_item.display_name,
                "place": r.plan_item.community.name if r.plan_item.community_id else _("街镇层面"),
                "period_output": int((period_sums.get(r.plan_item.pk) or {}).get(r.measure) or 0),
            }
            for r in progress.items
        ]
        period_label = _("%(y)d年%(m)d月") % {"y": year, "m": month} if month else _("%(y)d年度") % {"y": year}
        title = _("服务项目进度报告（%(period)s）") % {"period": period_label}
        month_rows = [
            {
                "label": _("%(y)d年%(m)d月") % {"y": m.year, "m": m.month},
                "due_on": m.due_on,
                "status": (m.confirmed or m.report).get_status_display() if m.report else _("未提交"),
                "overdue": m.overdue,
            }
            for m in months
        ]
    context = {
        "package": package,
        "period_label": period_label,
        "first": first,
        "last": last,
        "on": on,
        "progress": progress,
        "rows": rows,
        "lagging_rows": [r for r in rows if r["row"].lagging],
        "months": month_rows,
        "focus": focus,
        "focus_resolved": sum(1 for f in focus if f.status == FocusIssue.Status.RESOLVED),
        "money": money,
        "payments_in_period": [p for p in payments if p.paid_on >= first],
        "paid_to_date": sum((p.amount for p in payments), Decimal("0.00")),
        "title": title,
        "issuer": issuer_name(),
        "issued_on": today,
    }
    data = {
        "package": [package.pk, package.title, package.town.name, str(package.agency)],
        "period": [first, last, on],
        "items": [
            [r["row"].plan_item.pk, r["row"].target, r["row"].output_to_date, r["period_output"], r["row"].lagging]
            for r in rows
        ],
        "months": [[m["label"], m["status"], m["overdue"]] for m in month_rows],
        "focus": [[f.pk, f.status, f.resolved_on, f.title] for f in focus],
        "payments": [[p.pk, p.amount, p.paid_on] for p in payments],
        "contract": money.contract_value,
    }
    return Document("reports/r2_progress.html", context, fingerprint(data))


# --- R3: the city annual report -------------------------------------------------------------------------------


def r3_year_problem(year: int | None, today: datetime.date | None = None) -> str | None:
    today = today or timezone.localdate()
    if not year or not (FIRST_YEAR <= year <= today.year):
        return _("请选择 %(a)d 年至 %(b)d 年之间的年度。") % {"a": FIRST_YEAR, "b": today.year}
    return None


def r3_charts(annual: CityAnnual) -> list[Chart]:
    """R3's charts, from the same figures as its tables (and as the bureau's dashboard)."""
    from .dashboard import money_chart, trend_chart

    stats = annual.stats
    return [
        trend_chart(stats.years),
        money_chart(annual.sources, annual.year),
        Chart(
            title=_("各区街镇覆盖情况"),
            svg=stacked_bar_chart(
                _("各区街镇覆盖情况"),
                [r.district.name for r in stats.districts],
                [
                    (_("已覆盖街镇"), [r.towns_covered for r in stats.districts]),
                    (_("未覆盖街镇"), [r.towns - r.towns_covered for r in stats.districts]),
                ],
            ),
            key="coverage",
        ),
        Chart(
            title=_("第三方评估等级分布"),
            svg=pie_chart(
                _("%(y)d年定稿评估等级") % {"y": annual.year}, [(label, n) for _c, label, n in annual.grades]
            ),
            key="grades",
        ),
    ]


def r3_document(year: int) -> Document:
    """R3: the city annual report for `year` (`reporting.figures.city_annual`), with charts and the figure groups
    other apps register for the annual report (core.dashboard; compliance adds its findings there). The caller
    has checked `can_request_r3`."""
    with translation.override("zh-hans"):
        annual = city_annual(year)
        charts = r3_charts(annual)
        extra = groups_for(Area(kind="city", on=annual.on, purpose=Area.ANNUAL_REPORT))
        title = _("%(y)d年度全市政府购买社工服务报告") % {"y": year}
    context = {
        "annual": annual,
        "stats": annual.stats,
        "charts": charts,
        "extra_groups": extra,
        "title": title,
        "issuer": issuer_name(),
        "issued_on": timezone.localdate(),
    }
    stats = annual.stats
    data = {
        "on": annual.on,
        "years": [vars(y) for y in stats.years],
        "now": [stats.stationed, stats.agencies_running, stats.annual_amount],
        "districts": [
            [
                r.district.code,
                r.towns,
                r.towns_covered,
                r.communities_covered,
                r.villages_covered,
                r.packages,
                r.annual_amount,
            ]
            for r in stats.districts
        ],
        "sources": [[s.source.pk, s.amount, s.committed, s.paid, s.packages] for s in annual.sources],
        "funds": [annual.funds["funds"], annual.funds["assets"]]
        + [[r.label, r.funds, r.assets] for r in annual.funds["by_district"]],
        "grades": annual.grades,
        "extra": [[g.title, [[f.label, f.value] for f in g.figures]] for g in extra],
    }
    return Document("reports/r3_city.html", context, fingerprint(data))


def document_for(report: ReportFile) -> Document:
    """The document a report row asks for."""
    if report.kind == ReportFile.Kind.R1:
        return r1_document(report.evaluation)
    if report.kind == ReportFile.Kind.R5:
        return r5_document(report.plan)
    if report.kind == ReportFile.Kind.R2:
        return r2_document(report.package, report.year, report.month)
    if report.kind == ReportFile.Kind.R3:
        return r3_document(report.year)
    raise ValueError(_("暂不支持该类型的报告：%(kind)s") % {"kind": report.get_kind_display()})

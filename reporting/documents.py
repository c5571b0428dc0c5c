"""What each PDF report is built from: its subject key, its template and context, and the fingerprint of the data
(so a rendered report can tell that its data changed since). One function per kind; the pages that show the same
numbers in HTML use the same context functions (R1: `evaluation.selectors.evaluation_report_context`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from catalog.models import ServiceItem
from core.pdf import render_pdf
from delivery.models import PlanVersion, ServicePlan
from directory.models import Organisation
from evaluation.models import Evaluation
from evaluation.selectors import evaluation_report_context

from .models import ReportFile


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


def document_for(report: ReportFile) -> Document:
    """The document a report row asks for."""
    if report.kind == ReportFile.Kind.R1:
        return r1_document(report.evaluation)
    if report.kind == ReportFile.Kind.R5:
        return r5_document(report.plan)
    raise ValueError(_("暂不支持该类型的报告：%(kind)s") % {"kind": report.get_kind_display()})

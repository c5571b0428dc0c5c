"""What each PDF report is built from: its subject key, its template and context, and the fingerprint of the data
(so a rendered report can tell that its data changed since). One function per kind; the pages that show the same
numbers in HTML use the same context functions (R1: `evaluation.selectors.evaluation_report_context`)."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from core.pdf import render_pdf
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


def document_for(report: ReportFile) -> Document:
    """The document a report row asks for."""
    if report.kind == ReportFile.Kind.R1:
        return r1_document(report.evaluation)
    raise ValueError(_("暂不支持该类型的报告：%(kind)s") % {"kind": report.get_kind_display()})

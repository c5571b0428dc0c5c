"""Evaluation's answer to procurement.past_performance: the finalised mid-term and closing evaluations (A5) of
the given packages, as short facts an expert reads beside a bid."""

from __future__ import annotations

from django.utils.translation import gettext as _

from procurement.past_performance import register

from .models import Evaluation


@register
def finalised_evaluations(package_ids: list[int]) -> dict[int, list[str]]:
    facts: dict[int, list[str]] = {}
    rows = Evaluation.objects.filter(package_id__in=package_ids, status=Evaluation.Status.FINALISED).order_by(
        "package_id", "stage"
    )
    for evaluation in rows:
        facts.setdefault(evaluation.package_id, []).append(
            _("%(stage)s %(grade)s（%(score)s 分）")
            % {
                "stage": evaluation.get_stage_display(),
                "grade": evaluation.get_grade_display(),
                "score": evaluation.final_score,
            }
        )
    return facts

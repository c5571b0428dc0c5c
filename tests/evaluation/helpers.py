"""Builders for evaluation tests: score entries, filled and closed two-way rounds, scored evaluations."""

from __future__ import annotations

from decimal import Decimal

from django.utils import timezone

from evaluation import services
from evaluation.models import AssessmentRound, Evaluation, RubricIndicator
from evaluation.scoring import period_of
from evaluation.services import ScoreEntry


def half(value: Decimal) -> Decimal:
    return (value * 2).to_integral_value() / 2


def entries(indicators, share: Decimal = Decimal("1"), comment: str = "") -> dict[int, ScoreEntry]:
    """A score of `share` × maximum (rounded to 0.5) for every indicator."""
    return {i.pk: ScoreEntry(score=half(i.max_score * share), comment=comment) for i in indicators}


def entries_totalling(indicators, total: Decimal, comment: str = "") -> dict[int, ScoreEntry]:
    """Scores adding up to `total` on the shipped rubric (whose maxima add up to 100): every maximum, less up to
    40% of each indicator in turn until the total is reached, so no score needs a comment."""
    deficit = sum(i.max_score for i in indicators) - Decimal(total)
    result = {}
    for ind in indicators:
        cut = min(deficit, (ind.max_score * Decimal("0.4") * 2).to_integral_value(rounding="ROUND_FLOOR") / 2)
        deficit -= cut
        result[ind.pk] = ScoreEntry(score=ind.max_score - cut, comment=comment)
    assert deficit == 0
    return result


def rubric_indicators(evaluation: Evaluation) -> list[RubricIndicator]:
    return list(RubricIndicator.objects.filter(dimension__rubric=evaluation.rubric).order_by("pk"))


def filled_round(bureau, package, raters: dict, *, share=Decimal("0.75"), period=None, close=True) -> AssessmentRound:
    """Open a round, have each rater (organisation id → user) submit `share` of every maximum, close it."""
    round_ = services.assessment_round_open(
        actor=bureau, package=package, period=period or period_of(timezone.localdate())
    )
    for sheet in round_.sheets.select_related("rater_organisation", "round"):
        user = raters.get(sheet.rater_organisation_id)
        if user is None:
            continue
        indicators = round_.indicator_set_for(sheet.direction).indicators.all()
        services.assessment_sheet_submit(actor=user, sheet=sheet, scores=entries(indicators, share))
    if close:
        services.assessment_round_close(actor=bureau, round_=round_)
    return round_


def declare_and_submit(evaluation: Evaluation, user, total: Decimal | str = "100", comment: str = ""):
    """The evaluator declares no conflict and submits a sheet totalling `total`."""
    assignment = evaluation.assignments.get(evaluator=user)
    services.assignment_declare(actor=user, assignment=assignment, has_conflict=False)
    scores = entries_totalling(rubric_indicators(evaluation), Decimal(total), comment)
    return services.score_sheet_submit(actor=user, assignment=assignment, scores=scores)

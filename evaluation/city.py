"""City-scale two-way assessments and third-party evaluations for `manage.py seed_city` (core.city).

The shipped indicator sets and rubric (as the demo loads them). Every package gets two closed half-year
assessment rounds with a submitted sheet from the town office, each served community's committee and the
agency; a finalised mid-term evaluation scored by two evaluators; and a closing evaluation in progress whose
evaluators have declared and hold draft score sheets (the evaluator's workspace). Evaluation firms: 3 × S,
with 4 evaluators each: `city-evaluator-<n>`."""

from __future__ import annotations

import datetime
from decimal import Decimal

from core.city import CityContext, bulk, explicit_timestamps, register
from directory.models import Membership, Organisation, Role, User
from procurement.city import at

from . import services
from .models import (
    AssessmentRound,
    AssessmentScore,
    AssessmentSheet,
    Direction,
    Evaluation,
    EvaluationAssignment,
    IndicatorScore,
    RubricIndicator,
    ScoreSheet,
)
from .scoring import DimensionSpec, final_score, grade_for, mean, period_bounds, period_of, q2, rubric_total, spread

FIRMS_PER_SCALE = 3
EVALUATORS_PER_FIRM = 4


def _half(value: Decimal) -> Decimal:
    return (value * 2).to_integral_value() / 2


@register(order=70)
def seed_city_evaluation(ctx: CityContext) -> None:
    rnd, today = ctx.rnd, ctx.today
    packages = ctx.rows["packages"]
    bureau = ctx.users["city-bureau"]
    of_agency, of_town = services.indicator_sets_load_shipped()
    rubric = services.rubric_load_shipped()
    agency_indicators = list(of_agency.indicators.order_by("order", "code"))
    town_indicators = list(of_town.indicators.order_by("order", "code"))
    rubric_indicators = list(RubricIndicator.objects.filter(dimension__rubric=rubric).select_related("dimension"))
    specs: dict[str, dict[int, Decimal]] = {}
    dimensions = {}
    for ind in sorted(rubric_indicators, key=lambda i: (i.dimension.order, i.dimension.code, i.order, i.code)):
        specs.setdefault(ind.dimension.code, {})[ind.pk] = ind.max_score
        dimensions[ind.dimension.code] = ind.dimension
    dimension_specs = [DimensionSpec(code=c, weight=dimensions[c].weight, indicator_max=m) for c, m in specs.items()]

    firms = bulk(
        Organisation,
        [
            Organisation(kind=Organisation.Kind.EVALUATION_FIRM, name=f"苏州第三方评估中心{i + 1}")
            for i in range(ctx.scaled(FIRMS_PER_SCALE))
        ],
    )
    evaluators = bulk(
        User,
        [
            User(username=f"city-evaluator-{n}", full_name=f"评估员{n}", password=ctx.password_hash)
            for n in range(len(firms) * EVALUATORS_PER_FIRM)
        ],
    )
    ctx.users.update({u.username: u for u in evaluators})
    bulk(
        Membership,
        [
            Membership(user=u, organisation=firms[n // EVALUATORS_PER_FIRM], role=Role.EVALUATOR)
            for n, u in enumerate(evaluators)
        ],
    )

    # Two closed half-years before the current one.
    current_start = period_bounds(period_of(today))[0]
    periods = []
    day = current_start - datetime.timedelta(days=1)
    for _ in range(2):
        periods.append(period_of(day))
        day = period_bounds(period_of(day))[0] - datetime.timedelta(days=1)
    committee_of = ctx.rows["committee_by_community"]
    office_of = ctx.rows["town_office_by_town"]
    agency_org = {a.pk: a.organisation_id for a in ctx.rows["agencies"]}
    served: dict[int, set[int]] = {}
    from delivery.models import PlanItem

    for package_id, community_id in PlanItem.objects.filter(
        plan__package__in=packages, community__isnull=False
    ).values_list("plan__package_id", "community_id"):
        served.setdefault(package_id, set()).add(community_id)

    rounds = []
    for p in packages:
        for period in periods:
            _first, last = period_bounds(period)
            rounds.append(
                AssessmentRound(
                    package=p,
                    period=period,
                    opens_on=last.replace(day=15),
                    closes_on=last + datetime.timedelta(days=15),
                    status="closed",
                    agency_indicator_set=of_agency,
                    town_office_indicator_set=of_town,
                    opened_by=bureau,
                    opened_at=at(last.replace(day=15), 8),
                    closed_by=bureau,
                    closed_at=at(last + datetime.timedelta(days=15), 17),
                )
            )
    with explicit_timestamps((AssessmentRound, "opened_at")):
        rounds = bulk(AssessmentRound, rounds)
    sheets, sheet_scores = [], []
    for r in rounds:
        p = r.package
        raters = [(office_of[p.town_id], Direction.OF_AGENCY)]
        raters += [(committee_of[c], Direction.OF_AGENCY) for c in sorted(served.get(p.pk, ()))]
        raters.append((Organisation(pk=agency_org[p.agency_id]), Direction.OF_TOWN_OFFICE))
        for org, direction in raters:
            indicators = agency_indicators if direction == Direction.OF_AGENCY else town_indicators
            scores = [_half(ind.max_score * Decimal(rnd.randrange(70, 100)) / 100) for ind in indicators]
            sheet = AssessmentSheet(
                round=r,
                rater_organisation_id=org.pk,
                direction=direction,
                status="submitted",
                total=sum(scores, Decimal("0")),
                max_total=sum((ind.max_score for ind in indicators), Decimal("0")),
                submitted_at=at(r.opens_on + datetime.timedelta(days=5)),
                updated_at=at(r.opens_on + datetime.timedelta(days=5)),
            )
            sheets.append(sheet)
            sheet_scores.append(list(zip(indicators, scores, strict=True)))
    with explicit_timestamps((AssessmentSheet, "updated_at")):
        sheets = bulk(AssessmentSheet, sheets, batch_size=5000)
    bulk(
        AssessmentScore,
        [
            AssessmentScore(sheet=sheet, indicator=ind, score=score)
            for sheet, pairs in zip(sheets, sheet_scores, strict=True)
            for ind, score in pairs
        ],
        batch_size=10000,
    )
    of_agency_percent: dict[int, list[Decimal]] = {}
    package_of_round = {r.pk: r.package_id for r in rounds}
    for sheet in sheets:
        if sheet.direction == Direction.OF_AGENCY:
            of_agency_percent.setdefault(package_of_round[sheet.round_id], []).append(
                sheet.total * 100 / sheet.max_total
            )

    evaluations = []
    for i, p in enumerate(packages):
        firm_index = i % len(firms)
        mid_due = p.starts_on + datetime.timedelta(days=400)
        two_way = q2(mean(of_agency_percent[p.pk]))
        evaluations.append(
            Evaluation(
                package=p,
                stage="mid_term",
                firm=firms[firm_index],
                rubric=rubric,
                due_on=mid_due,
                status="finalised",
                assigned_by=bureau,
                assigned_at=at(mid_due - datetime.timedelta(days=40)),
                two_way_score=two_way,
                two_way_weight=rubric.two_way_weight,
                finalised_by=bureau,
                finalised_at=at(mid_due),
            )
        )
        evaluations.append(
            Evaluation(
                package=p,
                stage="closing",
                firm=firms[firm_index],
                rubric=rubric,
                due_on=today + datetime.timedelta(days=60),
                status="in_progress",
                assigned_by=bureau,
                assigned_at=at(today - datetime.timedelta(days=10)),
            )
        )
    # The finalised results are computed from the sheets below, then stored (A5) before the insert.
    assignments, score_sheets, indicator_scores = [], [], []
    for n, evaluation in enumerate(evaluations):
        firm_index = (n // 2) % len(firms)
        pair = [
            evaluators[firm_index * EVALUATORS_PER_FIRM + (n // 2) % EVALUATORS_PER_FIRM],
            evaluators[firm_index * EVALUATORS_PER_FIRM + ((n // 2) + 1) % EVALUATORS_PER_FIRM],
        ]
        totals = []
        per_sheet = []
        for evaluator in pair:
            finalised = evaluation.stage == "mid_term"
            scores = {
                ind.pk: _half(ind.max_score * Decimal(rnd.randrange(65, 100)) / 100)
                for ind in rubric_indicators
                if finalised or rnd.random() < 0.5
            }
            total, dims = rubric_total(dimension_specs, scores)
            totals.append(total)
            per_sheet.append(dims)
            assignments.append(
                EvaluationAssignment(
                    evaluation=evaluation,
                    evaluator=evaluator,
                    assigned_at=evaluation.assigned_at,
                    declared_at=evaluation.assigned_at + datetime.timedelta(days=1),
                )
            )
            score_sheets.append(
                ScoreSheet(
                    status="submitted" if finalised else "draft",
                    total=total if finalised else None,
                    submitted_at=evaluation.assigned_at + datetime.timedelta(days=20) if finalised else None,
                    updated_at=evaluation.assigned_at + datetime.timedelta(days=20),
                )
            )
            indicator_scores.append(scores)
        if evaluation.stage == "mid_term":
            evaluation.package_score = mean(totals)
            evaluation.spread = spread(totals)
            evaluation.final_score = final_score(
                evaluation.package_score, evaluation.two_way_score, evaluation.two_way_weight
            )
            evaluation.grade = grade_for(evaluation.final_score)
            evaluation.dimension_scores = [
                {
                    "code": d.code,
                    "name_zh": dimensions[d.code].name_zh,
                    "name_en": dimensions[d.code].name_en,
                    "weight": str(d.weight),
                    "points": str(mean(s[k].points for s in per_sheet)),
                }
                for k, d in enumerate(dimension_specs)
            ]
    with explicit_timestamps((Evaluation, "assigned_at")):
        evaluations = bulk(Evaluation, evaluations)
    with explicit_timestamps((EvaluationAssignment, "assigned_at")):
        assignments = bulk(EvaluationAssignment, assignments)
    for sheet, assignment in zip(score_sheets, assignments, strict=True):
        sheet.assignment = assignment
    with explicit_timestamps((ScoreSheet, "updated_at")):
        score_sheets = bulk(ScoreSheet, score_sheets)
    bulk(
        IndicatorScore,
        [
            IndicatorScore(sheet=sheet, indicator_id=indicator_id, score=score)
            for sheet, scores in zip(score_sheets, indicator_scores, strict=True)
            for indicator_id, score in scores.items()
        ],
        batch_size=10000,
    )
    ctx.rows["evaluations"] = evaluations
    ctx.count("assessment rounds", len(rounds))
    ctx.count("assessment sheets", len(sheets))
    ctx.count("evaluations", len(evaluations))
    ctx.count("score sheets", len(score_sheets))
    ctx.count("users", len(evaluators))

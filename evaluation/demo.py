"""Evaluation demo data for seed_demo (see directory/demo.py): two-way assessment rounds of the 双塔 package,
a finalised mid-term evaluation and an open closing evaluation assigned to the demo evaluator."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils import timezone

from core.demo import DemoContext, register
from directory.demo import DEMO_PASSWORD
from directory.models import Membership, Organisation, Role, User
from procurement.models import ServicePackage

from . import services
from .models import AssessmentRound, AssessmentSheet, Evaluation, RubricIndicator
from .permissions import RATER_ROLES
from .scoring import period_bounds, period_of
from .services import ScoreEntry

# Shares of the maximum the demo raters and evaluators give, cycled over the indicators.
RATER_SHARES = [Decimal("0.9"), Decimal("0.85"), Decimal("0.8"), Decimal("0.95"), Decimal("0.88")]
EVALUATOR_SHARES = {
    "evaluator": [Decimal("0.9"), Decimal("0.85"), Decimal("0.8"), Decimal("0.95")],
    "evaluator2": [Decimal("0.85"), Decimal("0.8"), Decimal("0.8"), Decimal("0.9")],
}


def _half(value: Decimal) -> Decimal:
    return (value * 2).to_integral_value() / 2


def _evaluator(ctx: DemoContext, username: str, full_name: str) -> User:
    user = User.objects.filter(username=username).first()
    if user is None:
        user = User(username=username, full_name=full_name, email=f"{username}@demo.suzhou-sw.local")
        user.set_password(DEMO_PASSWORD)
        user.full_clean()
        user.save()
    Membership.objects.get_or_create(user=user, organisation=ctx.organisations["firm"], role=Role.EVALUATOR)
    ctx.users[username] = user
    return user


def _rater(sheet: AssessmentSheet) -> User | None:
    membership = (
        Membership.objects.filter(
            organisation=sheet.rater_organisation,
            role=RATER_ROLES[sheet.rater_organisation.kind],
            is_active=True,
            user__is_active=True,
        )
        .select_related("user")
        .order_by("pk")
        .first()
    )
    return membership.user if membership else None


def _past_round(ctx: DemoContext, package: ServicePackage, opens_on: datetime.date, closes_on: datetime.date) -> None:
    """A closed round in the past: opened through the service, filled by every rater that has a demo user, then
    closed and dated back (the services refuse to work on a past round, so the dates are set afterwards)."""
    period = period_of(opens_on)
    if AssessmentRound.objects.filter(package=package, period=period).exists():
        return
    bureau = ctx.users["bureau"]
    today = timezone.localdate()
    round_ = services.assessment_round_open(
        actor=bureau, package=package, period=period, opens_on=min(opens_on, today), closes_on=today
    )
    for n, sheet in enumerate(round_.sheets.select_related("rater_organisation", "round")):
        rater = _rater(sheet)
        if rater is None:
            continue
        indicators = round_.indicator_set_for(sheet.direction).indicators.all()
        scores = {
            ind.pk: ScoreEntry(score=_half(ind.max_score * RATER_SHARES[(n + i) % len(RATER_SHARES)]))
            for i, ind in enumerate(indicators)
        }
        services.assessment_sheet_submit(actor=rater, sheet=sheet, scores=scores)
    services.assessment_round_close(actor=bureau, round_=round_)
    closes_on = min(closes_on, today - datetime.timedelta(days=1))
    AssessmentRound.objects.filter(pk=round_.pk).update(
        opens_on=opens_on,
        closes_on=closes_on,
        closed_at=timezone.make_aware(datetime.datetime.combine(closes_on, datetime.time(17))),
    )
    ctx.lines.append(
        f"  two-way assessment {period}: {round_.sheets.filter(status='submitted').count()} sheets submitted"
    )


def _score(evaluation: Evaluation, user: User, username: str) -> None:
    assignment = evaluation.assignments.get(evaluator=user)
    services.assignment_declare(actor=user, assignment=assignment, has_conflict=False)
    shares = EVALUATOR_SHARES[username]
    scores = {}
    for i, ind in enumerate(RubricIndicator.objects.filter(dimension__rubric=evaluation.rubric).order_by("pk")):
        score = _half(ind.max_score * shares[i % len(shares)])
        scores[ind.pk] = ScoreEntry(score=score, comment="材料齐全，服务记录规范。" if i % 5 == 0 else "")
    services.score_sheet_submit(actor=user, assignment=assignment, scores=scores)


@register(order=80)
def seed_evaluation(ctx: DemoContext) -> None:
    """Safe to run twice: each round and each evaluation is created once."""
    package = ServicePackage.objects.filter(town=ctx.town, status="active").first()
    if package is None:
        print("  evaluation demo skipped: no active package in the demo town (procurement seeders at order 40)")
        return
    services.indicator_sets_load_shipped()
    services.rubric_load_shipped()
    bureau = ctx.users["bureau"]
    evaluator = ctx.users["evaluator"]
    evaluator2 = _evaluator(ctx, "evaluator2", "卫评估")
    today = timezone.localdate()

    # A closed round for every half-year before the current one, and the current one open.
    current = period_of(today)
    first_day = period_bounds(period_of(package.starts_on))[0]
    while first_day < period_bounds(current)[0] and first_day <= package.ends_on:
        last_day = period_bounds(period_of(first_day))[1]
        _past_round(ctx, package, opens_on=last_day.replace(day=15), closes_on=last_day + datetime.timedelta(days=15))
        first_day = last_day + datetime.timedelta(days=1)

    firm: Organisation = ctx.organisations["firm"]
    if not Evaluation.objects.filter(package=package, stage=Evaluation.Stage.MID_TERM).exists():
        evaluation = services.evaluation_assign(
            actor=bureau,
            package=package,
            stage=Evaluation.Stage.MID_TERM,
            firm=firm,
            evaluator_ids=[evaluator.pk, evaluator2.pk],
        )
        _score(evaluation, evaluator, "evaluator")
        _score(evaluation, evaluator2, "evaluator2")
        evaluation = services.evaluation_finalise(actor=bureau, evaluation=evaluation)
        ctx.lines.append(
            f"  mid-term evaluation: finalised, final score {evaluation.final_score} ({evaluation.get_grade_display()})"
        )
    # The current half-year's round opens after the mid-term was finalised (as it happened: the mid-term at
    # month 12, this round later) — a round still open would hold the finalisation (A4).
    if package.starts_on <= today <= package.ends_on and not package.assessment_rounds.filter(period=current).exists():
        services.assessment_round_open(actor=bureau, package=package, period=current, opens_on=today)
        ctx.lines.append(f"  two-way assessment {current}: open for the raters")
    if not Evaluation.objects.filter(package=package, stage=Evaluation.Stage.CLOSING).exists():
        services.evaluation_assign(
            actor=bureau,
            package=package,
            stage=Evaluation.Stage.CLOSING,
            firm=firm,
            evaluator_ids=[evaluator.pk, evaluator2.pk],
        )
        ctx.lines.append("  closing evaluation: assigned to evaluator and evaluator2 (declare, then score)")
    ctx.lines.append(f"  evaluator2 {DEMO_PASSWORD}   第三方评估员 · {firm.name}")

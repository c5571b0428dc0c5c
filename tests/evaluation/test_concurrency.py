"""Two evaluators submitting at the same moment while the bureau finalises leave a consistent result.

On PostgreSQL the three run in real threads with their own connections and transactions; every writer locks
the Evaluation row first (`select_for_update`), so the finalisation sees either both submissions or refuses.
SQLite cannot run them concurrently, so there the same guarantees are checked in sequence."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from evaluation import services
from evaluation.models import Evaluation, ScoreSheet
from evaluation.scoring import mean
from procurement.models import Agency, ServicePackage
from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory

from .helpers import entries_totalling, filled_round, rubric_indicators


def _ready(bureau, world, edition, raters, evaluator, evaluator2) -> Evaluation:
    """A declared evaluation whose two sheets are complete drafts, with a closed two-way round."""
    agency = Agency.objects.filter(organisation=world.agency).first() or AgencyFactory(organisation=world.agency)
    package = PackageFactory(town=world.town_a1, agency=agency, round=RoundFactory(edition=edition))
    filled_round(bureau, package, raters)
    evaluation = services.evaluation_assign(
        actor=bureau, package=package, stage="mid_term", firm=world.firm, evaluator_ids=[evaluator.pk, evaluator2.pk]
    )
    indicators = rubric_indicators(evaluation)
    for user, total in ((evaluator, "94"), (evaluator2, "81")):
        assignment = evaluation.assignments.get(evaluator=user)
        services.assignment_declare(actor=user, assignment=assignment, has_conflict=False)
        services.score_sheet_save(
            actor=user, assignment=assignment, scores=entries_totalling(indicators, Decimal(total))
        )
    return evaluation


def _check_consistent(evaluation: Evaluation, bureau) -> None:
    evaluation.refresh_from_db()
    sheets = list(ScoreSheet.objects.filter(assignment__evaluation=evaluation))
    assert all(s.is_submitted for s in sheets)  # both submissions always land (finalising never blocks them out)
    if not evaluation.is_finalised:
        assert evaluation.status == Evaluation.Status.SCORED
        evaluation = services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    assert evaluation.package_score == mean(s.total for s in sheets) == Decimal("87.50")
    assert all(s.submitted_at <= evaluation.finalised_at for s in sheets)


def _race(evaluation: Evaluation, bureau, evaluator, evaluator2) -> dict[str, object]:
    """Both submissions and the finalisation released at once, each in its own thread and DB connection."""
    assignments = {a.evaluator_id: a for a in evaluation.assignments.all()}
    barrier = threading.Barrier(3)
    outcomes: dict[str, object] = {}

    def run(name, fn):
        try:
            barrier.wait(timeout=10)
            outcomes[name] = fn()
        except Exception as exc:  # recorded and asserted on by the caller
            outcomes[name] = exc
        finally:
            connection.close()

    calls = {
        "a": lambda: services.score_sheet_submit(actor=evaluator, assignment=assignments[evaluator.pk]),
        "b": lambda: services.score_sheet_submit(actor=evaluator2, assignment=assignments[evaluator2.pk]),
        "finalise": lambda: services.evaluation_finalise(actor=bureau, evaluation=evaluation),
    }
    threads = [threading.Thread(target=run, args=item) for item in calls.items()]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_concurrent_submissions_and_finalisation_are_consistent_on_postgresql(
    bureau, world, edition, raters, evaluator, evaluator2
):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL's row locks and real concurrent transactions")
    for attempt in range(4):
        evaluation = _ready(bureau, world, edition, raters, evaluator, evaluator2)
        outcomes = _race(evaluation, bureau, evaluator, evaluator2)
        assert not isinstance(outcomes["a"], Exception), outcomes["a"]
        assert not isinstance(outcomes["b"], Exception), outcomes["b"]
        finalise = outcomes["finalise"]
        if isinstance(finalise, Exception):
            # Finalising before both submissions is refused with the reason, never half-done.
            assert isinstance(finalise, ValidationError) and "尚未提交评分" in str(finalise), (attempt, finalise)
        _check_consistent(evaluation, bureau)
        # P1 holds on PostgreSQL (one active package per town): end this one before the next attempt.
        ServicePackage.objects.filter(pk=evaluation.package_id).update(status=ServicePackage.Status.ENDED)


@pytest.mark.django_db
def test_sequential_guarantees_submissions_then_finalisation(bureau, world, edition, raters, evaluator, evaluator2):
    evaluation = _ready(bureau, world, edition, raters, evaluator, evaluator2)
    assignments = {a.evaluator_id: a for a in evaluation.assignments.all()}
    services.score_sheet_submit(actor=evaluator, assignment=assignments[evaluator.pk])
    # The bureau finalising between the two submissions is refused and changes nothing.
    with pytest.raises(ValidationError, match="尚未提交评分"):
        services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.IN_PROGRESS and evaluation.final_score is None
    services.score_sheet_submit(actor=evaluator2, assignment=assignments[evaluator2.pk])
    _check_consistent(evaluation, bureau)
    # A stale copy of the evaluation cannot be finalised twice, nor can a sheet be reopened.
    with pytest.raises(ValidationError, match="已定稿"):
        services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    with pytest.raises(ValidationError, match="已定稿"):
        services.score_sheet_save(actor=evaluator, assignment=assignments[evaluator.pk], scores={})

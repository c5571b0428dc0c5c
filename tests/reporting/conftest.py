"""Reporting fixtures: the evaluation world of tests/evaluation (town A1's package run by the personas' agency,
its mid-term evaluation) and that evaluation finalised by the bureau."""

import pytest

from evaluation import services
from tests.evaluation.conftest import (  # noqa: F401  (fixtures)
    closed_round,
    edition,
    evaluation,
    evaluator2,
    package,
    private_media,
    raters,
)
from tests.evaluation.helpers import declare_and_submit


@pytest.fixture
def scored(evaluation, evaluator, evaluator2, closed_round):  # noqa: F811  (the imported fixtures)
    """Both evaluators submitted; the bureau has not finalised yet."""
    declare_and_submit(evaluation, evaluator, "92")
    declare_and_submit(evaluation, evaluator2, "88")
    return evaluation


@pytest.fixture
def finalised(bureau, scored):
    return services.evaluation_finalise(actor=bureau, evaluation=scored)

"""The score input's hint (0–25 分，步长 0.5) sits below the input, never on top of it (issue 13)."""

import pytest
from django.urls import reverse

from directory.models import Role
from evaluation.services import evaluations as services
from tests.browser.helpers import switch_user
from tests.evaluation.conftest import edition, evaluation, evaluator2, package, private_media  # noqa: F401

pytestmark = [pytest.mark.browser]


def test_the_score_hint_does_not_overlap_the_input(transactional_db, live_server, page, personas, evaluation):  # noqa: F811
    evaluator = personas[Role.EVALUATOR]
    assignment = evaluation.assignments.get(evaluator=evaluator)
    services.assignment_declare(actor=evaluator, assignment=assignment, has_conflict=False, note="")
    switch_user(page, live_server, evaluator.username)
    page.goto(live_server.url + reverse("evaluation:evaluation-workspace", args=[evaluation.pk]))
    row = page.locator(".score-row").first
    box = row.locator("input").first.bounding_box()
    hint = row.locator("input + small").first.bounding_box()
    assert box and hint
    assert hint["y"] >= box["y"] + box["height"] - 0.5, (box, hint)

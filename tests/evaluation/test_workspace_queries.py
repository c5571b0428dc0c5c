"""The evaluator workspace reads in a constant number of queries (issue 13 measured it at 1.8–2.0 s)."""

import pytest
from django.urls import reverse

from directory.models import Role
from evaluation.services import evaluations as services

pytestmark = pytest.mark.django_db


def test_evaluator_workspace_query_count(client, personas, evaluation, django_assert_max_num_queries):
    evaluator = personas[Role.EVALUATOR]
    services.assignment_declare(
        actor=evaluator, assignment=evaluation.assignments.get(evaluator=evaluator), has_conflict=False
    )
    client.force_login(evaluator)
    url = reverse("evaluation:evaluation-workspace", args=[evaluation.pk])
    client.get(url)
    # 15 on the day of measuring: session, user, memberships, the evaluation, the assignment, rubric dimensions
    # and indicators, scores, round, plan items, reports, focus issues, assessment rounds, instalments.
    with django_assert_max_num_queries(16):
        assert client.get(url).status_code == 200

"""Regressions found in review: an evaluator id beyond the integer range is a form error or a 400, never a
server error (SQLite raised OverflowError on it); the query count of a package's assessment history, which had
none pinned."""

import datetime

import pytest
from django.contrib.messages import get_messages
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from directory.models import Role
from evaluation.models import Evaluation
from evaluation.scoring import add_months, period_of
from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory

from .helpers import filled_round

pytestmark = pytest.mark.django_db

BIG_ID = "9" * 30


def test_assign_page_with_an_out_of_range_evaluator_is_a_form_error(client, bureau, package, world, evaluator):
    client.force_login(bureau)
    data = {"package": package.pk, "stage": "mid_term", "firm": world.firm.pk, "evaluators": [evaluator.pk, BIG_ID]}
    response = client.post(reverse("evaluation:evaluation-assign"), data)
    assert response.status_code == 200 and response.context["form"].errors["evaluators"]
    assert not Evaluation.objects.exists()


def test_adding_an_out_of_range_evaluator_is_refused_with_a_message(client, bureau, evaluation):
    client.force_login(bureau)
    response = client.post(
        reverse("evaluation:evaluation-add-evaluators", args=[evaluation.pk]), {"evaluators": BIG_ID}
    )
    assert response.status_code == 302
    assert [str(m) for m in get_messages(response.wsgi_request)] == ["请选择该评估机构的评估员。"]
    assert evaluation.assignments.count() == 2


def test_api_assign_with_an_out_of_range_evaluator_is_a_400(client, bureau, package, world, evaluator):
    client.force_login(bureau)
    payload = {
        "package": package.pk,
        "stage": "mid_term",
        "firm": world.firm.pk,
        "evaluators": [evaluator.pk, int(BIG_ID)],
    }
    response = client.post(reverse("api-v1:evaluation-assign"), payload, content_type="application/json")
    assert response.status_code == 400 and "evaluators" in response.json()
    assert not Evaluation.objects.exists()


def test_a1_package_assessment_history_uses_a_constant_number_of_queries(
    client, bureau, world, edition, raters, personas, django_assert_max_num_queries
):
    """Not pinned before: a package's two-way results across rounds."""
    today = timezone.localdate()
    agency = AgencyFactory(organisation=world.agency)
    package = PackageFactory(
        town=world.town_a1,
        agency=agency,
        round=RoundFactory(edition=edition),
        starts_on=today - datetime.timedelta(days=800),
        ends_on=today + datetime.timedelta(days=30),
    )
    periods = [period_of(add_months(today, -6 * n)) for n in range(4)]
    client.force_login(personas[Role.TOWN_OFFICER])
    url = reverse("evaluation:package-assessments", args=[package.pk])
    counts = []
    for rows in (1, 4):
        for period in periods[package.assessment_rounds.count() : rows]:
            filled_round(bureau, package, raters, period=period)
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(8):
            assert len(client.get(url).context["history"]) == rows
        counts.append(len(queries))
    assert counts[0] == counts[1]

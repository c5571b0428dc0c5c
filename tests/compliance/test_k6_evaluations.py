"""K6: a third-party evaluation not finalised by its A2 due date (mid-term at month 12, closing at the end):
never assigned → the bureau; assigned → the firm; scored → the bureau (to finalise)."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from evaluation.models import Evaluation
from evaluation.services import rubric_load_shipped

from .conftest import closed, run

pytestmark = pytest.mark.django_db
AFTER_MID_TERM = datetime.date(2026, 2, 1)  # the dated package's mid-term was due 2026-01-01


def _evaluation(package, firm, user, **fields):
    fields = {"due_on": datetime.date(2026, 1, 1), **fields}
    return Evaluation.objects.create(
        package=package,
        stage=Evaluation.Stage.MID_TERM,
        firm=firm,
        rubric=rubric_load_shipped(),
        assigned_by=user,
        **fields,
    )


def test_k6_mid_term_past_due_gets_a_finding_until_finalised(world, dated_package, bureau):
    key = f"package:{dated_package.pk}:mid_term"
    assert run("K6", datetime.date(2025, 12, 31)) == {}  # not yet due
    finding = run("K6", AFTER_MID_TERM)[key]
    assert set(run("K6", AFTER_MID_TERM)) == {key}  # the closing one is due only at the end
    assert finding.organisation_id == world.city_bureau.pk and "尚未派出" in finding.message
    assert finding.details["days_late"] == 31 and finding.severity == "critical"
    evaluation = _evaluation(dated_package, world.firm, bureau)
    finding = run("K6", AFTER_MID_TERM)[key]
    assert finding.organisation_id == world.firm.pk
    assert finding.url == f"/evaluation/evaluations/{evaluation.pk}/"
    evaluation.status = Evaluation.Status.SCORED
    evaluation.save()
    assert run("K6", AFTER_MID_TERM)[key].organisation_id == world.city_bureau.pk
    evaluation.status = Evaluation.Status.FINALISED
    evaluation.package_score = evaluation.final_score = Decimal("85")
    evaluation.grade = "good"
    evaluation.finalised_by = bureau
    evaluation.finalised_at = timezone.now()
    evaluation.save()
    assert run("K6", AFTER_MID_TERM) == {}
    assert closed("K6", key)


def test_k6_evaluation_within_its_due_date_gets_none(world, dated_package, bureau):
    _evaluation(dated_package, world.firm, bureau, due_on=datetime.date(2026, 3, 1))
    assert run("K6", AFTER_MID_TERM) == {}


def test_k6_closing_evaluation_after_the_end(world, dated_package, bureau):
    findings = run("K6", datetime.date(2027, 1, 20))
    assert findings[f"package:{dated_package.pk}:closing"].details["due_on"] == "2026-12-31"
    assert findings[f"package:{dated_package.pk}:closing"].severity == "warning"

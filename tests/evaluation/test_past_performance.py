"""T4 既往绩效: the expert scoring a bid sees the agency's earlier packages with their finalised evaluation
grades, which evaluation supplies to procurement through procurement.past_performance."""

from decimal import Decimal

import pytest
from django.utils import timezone

from evaluation.models import Evaluation
from procurement.past_performance import past_packages

pytestmark = pytest.mark.django_db


def test_t4_past_packages_carry_their_finalised_evaluation_grade(evaluation, bureau):
    package = evaluation.package
    assert past_packages([package.agency_id])[package.agency_id][0].facts == []  # not finalised yet
    Evaluation.objects.filter(pk=evaluation.pk).update(
        status=Evaluation.Status.FINALISED,
        grade="good",
        final_score=Decimal("86.50"),
        package_score=Decimal("86.50"),
        finalised_by=bureau,
        finalised_at=timezone.now(),
    )
    [past] = past_packages([package.agency_id])[package.agency_id]
    assert past.package == package
    assert past.facts == [f"{evaluation.get_stage_display()} 良好（86.50 分）"]

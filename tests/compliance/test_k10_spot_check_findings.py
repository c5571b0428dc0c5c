"""K10 through the sweep: a drawn package without its spot-check evaluation 30 days after the draw, or with
one past due and not finalised, is a finding; assigning it (or finalising it) closes the finding."""

import datetime

import pytest
from django.urls import reverse

from compliance.models import Finding
from compliance.services import sweep
from evaluation import services
from evaluation.models import Evaluation, SpotCheckDraw, SpotCheckPick
from tests.procurement.factories import PackageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pick(world, package):
    draw = SpotCheckDraw.objects.create(
        year=2026, drawn_on=datetime.date(2026, 1, 5), seed="s", share=30, eligible_count=2
    )
    return SpotCheckPick.objects.create(draw=draw, package=package, district=world.district_a)


def assign(bureau, world, pick, evaluators):
    return services.evaluation_assign(
        actor=bureau,
        package=pick.package,
        stage=Evaluation.Stage.SPOT_CHECK,
        firm=world.firm,
        evaluator_ids=[u.pk for u in evaluators],
        due_on=datetime.date(2026, 4, 30),
    )


@pytest.fixture
def evaluator2(world):
    from directory.models import Role
    from tests.factories import MembershipFactory, UserFactory

    user = UserFactory(username="k10_evaluator_2")
    MembershipFactory(user=user, organisation=world.firm, role=Role.EVALUATOR)
    return user


def test_k10_pick_unassigned_after_30_days_gets_a_finding(world, pick):
    sweep(today=datetime.date(2026, 2, 4), rules=["K10"])  # day 30: still in time
    assert not Finding.objects.filter(rule="K10").exists()
    sweep(today=datetime.date(2026, 2, 5), rules=["K10"])
    finding = Finding.objects.get(rule="K10")
    assert finding.subject_key == f"spot-check-pick:{pick.pk}"
    assert finding.organisation_id == world.city_bureau.pk
    assert finding.package_id == pick.package_id and finding.district_id == world.district_a.pk
    assert finding.url == reverse("evaluation:spot-check-detail", args=[2026])
    assert "未派出抽查评估" in finding.message


def test_k10_assigned_pick_gets_no_finding_and_assigning_closes_it(bureau, world, pick, evaluator, evaluator2):
    sweep(today=datetime.date(2026, 3, 1), rules=["K10"])
    assert Finding.objects.get(rule="K10").status == Finding.Status.OPEN
    assign(bureau, world, pick, [evaluator, evaluator2])
    sweep(today=datetime.date(2026, 3, 1), rules=["K10"])
    finding = Finding.objects.get(rule="K10")
    assert finding.status == Finding.Status.CLOSED and finding.closed_at is not None


def test_k10_spot_check_past_due_unfinalised_gets_a_finding(bureau, world, pick, evaluator, evaluator2):
    evaluation = assign(bureau, world, pick, [evaluator, evaluator2])
    sweep(today=datetime.date(2026, 4, 30), rules=["K10"])
    assert not Finding.objects.filter(rule="K10").exists()
    sweep(today=datetime.date(2026, 5, 1), rules=["K10"])
    finding = Finding.objects.get(rule="K10")
    assert finding.organisation_id == world.firm.pk
    assert finding.url == reverse("evaluation:evaluation-detail", args=[evaluation.pk])
    assert "已过完成期限" in finding.message


def test_k10_sweep_query_count_does_not_grow_with_picks(world, pick, round_2018, django_assert_max_num_queries):
    today = datetime.date(2026, 3, 1)
    with django_assert_max_num_queries(40) as small:
        sweep(today=today, rules=["K10"])
    for town in (world.town_a2, world.town_b1):
        package = PackageFactory(town=town, round=round_2018)
        SpotCheckPick.objects.create(draw=pick.draw, package=package, district=town.district)
    with django_assert_max_num_queries(len(small.captured_queries)):
        sweep(today=today, rules=["K10"])
    assert Finding.objects.filter(rule="K10", status=Finding.Status.OPEN).count() == 3


def test_k10_spot_checks_are_not_k6_evaluations(world, package, pick):
    # K6 (A2) asks for the mid-term and closing evaluations only; a spot check is K10's business.
    sweep(today=package.ends_on + datetime.timedelta(days=10), rules=["K6"])
    keys = set(Finding.objects.filter(rule="K6").values_list("subject_key", flat=True))
    assert keys and not [k for k in keys if "spot_check" in k]

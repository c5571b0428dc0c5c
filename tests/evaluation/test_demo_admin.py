"""The demo seeder (order 80, idempotent) and the bureau's admin for rubrics and indicator sets."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from core.demo import DemoContext
from directory.demo import seed_directory
from evaluation import services
from evaluation.demo import seed_evaluation
from evaluation.models import AssessmentRound, Evaluation, Rubric
from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory

pytestmark = pytest.mark.django_db


def test_demo_seeder_skips_without_an_active_package(capsys):
    ctx = DemoContext()
    seed_directory(ctx)
    seed_evaluation(ctx)
    assert "evaluation demo skipped" in capsys.readouterr().out
    assert not Evaluation.objects.exists()


def test_demo_seeder_gives_a_finalised_mid_term_and_an_open_closing_evaluation(edition):
    ctx = DemoContext()
    seed_directory(ctx)
    starts_on = timezone.localdate() - datetime.timedelta(days=400)
    package = PackageFactory(
        town=ctx.town,
        agency=AgencyFactory(organisation=ctx.organisations["agency"]),
        round=RoundFactory(edition=edition),
        starts_on=starts_on,
        ends_on=starts_on + datetime.timedelta(days=730),
    )
    for _run in range(2):
        seed_evaluation(ctx)
    mid_term = Evaluation.objects.get(package=package, stage=Evaluation.Stage.MID_TERM)
    closing = Evaluation.objects.get(package=package, stage=Evaluation.Stage.CLOSING)
    assert mid_term.is_finalised and mid_term.grade and mid_term.finalised_by == ctx.users["bureau"]
    assert mid_term.two_way_score is not None
    assert closing.status == Evaluation.Status.ASSIGNED
    assert set(closing.assignments.values_list("evaluator__username", flat=True)) == {"evaluator", "evaluator2"}
    assert Evaluation.objects.count() == 2
    rounds = list(AssessmentRound.objects.filter(package=package).order_by("period"))
    assert len({r.period for r in rounds}) == len(rounds) >= 3
    assert all(r.is_closed for r in rounds[:-1]) and not rounds[-1].is_closed
    assert any(line.startswith("  mid-term evaluation: finalised") for line in ctx.lines)


# --- admin ---------------------------------------------------------------------------------------


def _rubric_post(weights: list[str]) -> dict:
    data = {
        "code": "custom",
        "name_zh": "自定义指标体系",
        "name_en": "",
        "description": "",
        "two_way_weight": "20",
        "dimensions-TOTAL_FORMS": str(len(weights)),
        "dimensions-INITIAL_FORMS": "0",
        "dimensions-MIN_NUM_FORMS": "0",
        "dimensions-MAX_NUM_FORMS": "1000",
    }
    for n, weight in enumerate(weights):
        data |= {
            f"dimensions-{n}-order": str(n),
            f"dimensions-{n}-code": f"d{n}",
            f"dimensions-{n}-name_zh": f"维度{n}",
            f"dimensions-{n}-name_en": "",
            f"dimensions-{n}-weight": weight,
        }
    return data


def test_a3_admin_refuses_dimension_weights_that_do_not_sum_to_100(client, bureau):
    client.force_login(bureau)
    url = reverse("admin:evaluation_rubric_add")
    response = client.post(url, _rubric_post(["20", "30", "25"]))
    assert response.status_code == 200
    assert "各维度权重之和必须为 100，目前为 75" in response.content.decode()
    assert not Rubric.objects.exists()
    response = client.post(url, _rubric_post(["20", "30", "25", "15", "10"]))
    assert response.status_code == 302
    rubric = Rubric.objects.get()
    assert rubric.version == 1 and rubric.dimensions.count() == 5


def test_a3_admin_keeps_a_rubric_in_use_read_only_and_revises_it(client, bureau, evaluation):
    rubric = evaluation.rubric
    client.force_login(bureau)
    change = reverse("admin:evaluation_rubric_change", args=[rubric.pk])
    assert 'name="_save"' not in client.get(change).content.decode()
    assert client.post(change, _rubric_post(["100"])).status_code == 403
    response = client.post(
        reverse("admin:evaluation_rubric_changelist"),
        {"action": "revise", "_selected_action": [rubric.pk]},
        follow=True,
    )
    assert "已创建新版本" in response.content.decode()
    revision = Rubric.objects.get(derived_from=rubric)
    assert revision.version == 2 and revision.is_default and revision.dimensions.count() == 5
    assert 'name="_save"' in client.get(reverse("admin:evaluation_rubric_change", args=[revision.pk])).content.decode()


def test_admin_indicator_sets_and_evaluations_are_listed(client, bureau, closed_round, evaluation):
    client.force_login(bureau)
    for name in ("assessmentindicatorset", "assessmentround", "evaluation", "rubricdimension"):
        assert client.get(reverse(f"admin:evaluation_{name}_changelist")).status_code == 200
    assert services.indicator_set_default("of_agency").is_in_use

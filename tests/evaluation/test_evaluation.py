"""A2–A5: assignment, declaration, rubric, score sheets, the A4 arithmetic and finalisation."""

import datetime
from decimal import Decimal

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from directory.models import Role
from evaluation import services
from evaluation.home_sections import evaluation_sections
from evaluation.models import Evaluation, EvaluationAssignment, Grade, Rubric, ScoreSheet
from evaluation.scoring import add_months, final_score, grade_for, period_of, rubric_total
from evaluation.services import ScoreEntry
from evaluation.services.evaluations import dimension_specs
from tests.factories import MembershipFactory

from .helpers import declare_and_submit, entries, filled_round, rubric_indicators

pytestmark = pytest.mark.django_db


def _assignment(evaluation, user) -> EvaluationAssignment:
    return EvaluationAssignment.objects.select_related("evaluation").get(evaluation=evaluation, evaluator=user)


def _declare(evaluation, user) -> EvaluationAssignment:
    return services.assignment_declare(actor=user, assignment=_assignment(evaluation, user), has_conflict=False)


# --- A2 ------------------------------------------------------------------------------------------


def test_a2_bureau_assigns_a_firm_and_at_least_two_of_its_evaluators(bureau, package, world, evaluator, evaluator2):
    evaluation = services.evaluation_assign(
        actor=bureau,
        package=package,
        stage=Evaluation.Stage.MID_TERM,
        firm=world.firm,
        evaluator_ids=[evaluator.pk, evaluator2.pk],
    )
    assert evaluation.status == Evaluation.Status.ASSIGNED
    assert {a.evaluator for a in evaluation.assignments.all()} == {evaluator, evaluator2}
    assert ScoreSheet.objects.filter(assignment__evaluation=evaluation).count() == 2
    # Mid-term at month 12 of the package, closing at its end.
    assert evaluation.due_on == add_months(package.starts_on, 12)
    closing = services.evaluation_assign(
        actor=bureau,
        package=package,
        stage=Evaluation.Stage.CLOSING,
        firm=world.firm,
        evaluator_ids=[evaluator.pk, evaluator2.pk],
        due_on=package.ends_on - datetime.timedelta(days=10),
    )
    assert closing.due_on == package.ends_on - datetime.timedelta(days=10)
    assert services.default_due_on(package, Evaluation.Stage.CLOSING) == package.ends_on
    assert evaluation.rubric.is_default and Rubric.objects.get(pk=evaluation.rubric_id).is_in_use


def test_a2_assignment_refusals(bureau, package, world, evaluator, evaluator2, outsiders, personas):
    def assign(actor=bureau, ids=(evaluator.pk, evaluator2.pk), firm=world.firm, stage=Evaluation.Stage.MID_TERM):
        return services.evaluation_assign(actor=actor, package=package, stage=stage, firm=firm, evaluator_ids=ids)

    with pytest.raises(PermissionDenied):
        assign(actor=personas[Role.TOWN_OFFICER])
    with pytest.raises(ValidationError, match="至少派出 2 名"):
        assign(ids=[evaluator.pk])
    with pytest.raises(ValidationError, match="不是“公益评估研究中心”的在岗评估员"):
        assign(ids=[evaluator.pk, outsiders[Role.EVALUATOR].pk])
    with pytest.raises(ValidationError, match="第三方评估机构"):
        assign(firm=world.agency)
    # An evaluator who is also a member of the agency under evaluation must stand aside.
    MembershipFactory(user=evaluator2, organisation=world.agency, role=Role.AGENCY_WORKER)
    with pytest.raises(ValidationError, match="须回避"):
        assign()
    assert not Evaluation.objects.exists()


def test_a2_evaluator_declares_no_conflict_before_scoring(evaluation, evaluator):
    assignment = _assignment(evaluation, evaluator)
    scores = entries(rubric_indicators(evaluation))
    with pytest.raises(ValidationError, match="请先声明无利益冲突"):
        services.score_sheet_save(actor=evaluator, assignment=assignment, scores=scores)
    with pytest.raises(ValidationError, match="请先声明无利益冲突"):
        services.score_sheet_submit(actor=evaluator, assignment=assignment, scores=scores)
    services.assignment_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.IN_PROGRESS
    services.score_sheet_save(actor=evaluator, assignment=assignment, scores=scores)
    with pytest.raises(ValidationError, match="已经作出过"):
        services.assignment_declare(actor=evaluator, assignment=assignment, has_conflict=True, note="x")


def test_a2_only_the_assigned_evaluator_declares_and_scores(evaluation, evaluator, evaluator2, evaluator3, bureau):
    assignment = _assignment(evaluation, evaluator)
    for stranger in (evaluator2, evaluator3, bureau):
        with pytest.raises(PermissionDenied):
            services.assignment_declare(actor=stranger, assignment=assignment, has_conflict=False)
    services.assignment_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    with pytest.raises(PermissionDenied):
        services.score_sheet_save(actor=evaluator2, assignment=assignment, scores={})


def test_a2_declared_conflict_removes_the_evaluator_and_tells_the_bureau(
    evaluation, evaluator, evaluator2, evaluator3, bureau, closed_round, client, django_capture_on_commit_callbacks
):
    bureau.email = "bureau@example.org"
    bureau.save()
    assignment = _assignment(evaluation, evaluator)
    with pytest.raises(ValidationError) as exc:
        services.assignment_declare(actor=evaluator, assignment=assignment, has_conflict=True, note="")
    assert "note" in exc.value.message_dict
    with django_capture_on_commit_callbacks(execute=True):
        services.assignment_declare(
            actor=evaluator, assignment=assignment, has_conflict=True, note="2024年曾为该机构督导顾问。"
        )
    assignment.refresh_from_db()
    assert assignment.has_conflict and assignment.removed_at is not None
    assert len(mail.outbox) == 1 and "利益冲突" in mail.outbox[0].subject
    assert mail.outbox[0].to == ["bureau@example.org"]
    # Removed: the evaluation is gone from the evaluator's view.
    client.force_login(evaluator)
    assert client.get(reverse("evaluation:evaluation-workspace", args=[evaluation.pk])).status_code == 404
    # The bureau sees it on its home page and must bring the evaluation back to two evaluators.
    client.force_login(bureau)
    home = client.get(reverse("directory:home")).content.decode()
    assert "需要增派评估员的评估" in home and str(evaluation.package) in home
    declare_and_submit(evaluation, evaluator2)
    with pytest.raises(ValidationError, match="有效评估员不足 2 名"):
        services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    with pytest.raises(ValidationError, match="不能重复派出"):
        services.evaluation_evaluators_add(actor=bureau, evaluation=evaluation, evaluator_ids=[evaluator.pk])
    services.evaluation_evaluators_add(actor=bureau, evaluation=evaluation, evaluator_ids=[evaluator3.pk])
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.IN_PROGRESS
    declare_and_submit(evaluation, evaluator3)
    finalised = services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    assert finalised.is_finalised
    home = client.get(reverse("directory:home")).content.decode()
    assert str(evaluation.package) not in home.split("需要增派评估员的评估")[1].split("</article>")[0]


def test_a2_an_evaluator_who_left_the_firm_can_no_longer_score(evaluation, evaluator, world):
    assignment = _declare(evaluation, evaluator)
    evaluator.memberships.filter(organisation=world.firm).update(is_active=False)
    evaluator = type(evaluator).objects.get(pk=evaluator.pk)
    with pytest.raises(PermissionDenied):
        services.score_sheet_save(actor=evaluator, assignment=assignment, scores={})


# --- A3 ------------------------------------------------------------------------------------------


def test_a3_default_rubric_has_the_five_dimensions_with_their_weights(db):
    rubric = services.rubric_default()
    weights = {d.name_zh: d.weight for d in rubric.dimensions.all()}
    assert weights == {
        "项目管理": Decimal("20"),
        "专业服务": Decimal("30"),
        "服务成效": Decimal("25"),
        "财务管理": Decimal("15"),
        "满意度": Decimal("10"),
    }
    for dimension in rubric.dimensions.prefetch_related("indicators"):
        indicators = list(dimension.indicators.all())
        assert indicators and all(i.description for i in indicators)
        assert sum(i.max_score for i in indicators) == dimension.weight
    assert rubric.two_way_weight == Decimal("20")


def test_a3_weights_that_do_not_sum_to_100_are_refused(bureau):
    dimensions = [
        {"code": "a", "name_zh": "项目管理", "weight": "20", "indicators": [("A", "制度", "", "", Decimal("5"))]},
        {"code": "b", "name_zh": "专业服务", "weight": "70", "indicators": [("B", "方法", "", "", Decimal("5"))]},
    ]
    with pytest.raises(ValidationError) as exc:
        services.rubric_create(actor=bureau, code="custom", name_zh="自定义", dimensions=dimensions)
    assert "各维度权重之和必须为 100，目前为 90" in exc.value.message_dict["weight"][0]
    dimensions[1]["weight"] = "80"
    rubric = services.rubric_create(actor=bureau, code="custom", name_zh="自定义", dimensions=dimensions)
    assert sum(d.weight for d in rubric.dimensions.all()) == 100
    with pytest.raises(ValidationError):
        services.rubric_update(actor=bureau, rubric=rubric, dimensions=dimensions[:1])


def test_a3_scores_are_between_zero_and_the_maximum_in_half_points(evaluation, evaluator):
    assignment = _declare(evaluation, evaluator)
    ind = rubric_indicators(evaluation)[0]
    cases = [
        (ind.max_score + Decimal("0.5"), "不能超过满分"),
        (Decimal("-0.5"), "不能为负数"),
        (Decimal("2.25"), "须以 0.5 分为单位"),
    ]
    for bad, message in cases:
        with pytest.raises(ValidationError) as exc:
            services.score_sheet_save(actor=evaluator, assignment=assignment, scores={ind.pk: ScoreEntry(bad)})
        assert message in exc.value.message_dict[f"score_{ind.pk}"][0]
    services.score_sheet_save(actor=evaluator, assignment=assignment, scores={ind.pk: ScoreEntry(Decimal("4.5"))})
    services.score_sheet_save(actor=evaluator, assignment=assignment, scores={ind.pk: ScoreEntry(Decimal("0"))})
    assert assignment.sheet.scores.get(indicator=ind).score == Decimal("0")


def test_a3_a_score_below_60_percent_of_the_maximum_needs_a_comment(evaluation, evaluator):
    assignment = _declare(evaluation, evaluator)
    indicators = rubric_indicators(evaluation)
    low = indicators[0]  # maximum 5: 2.5 is 50%
    scores = entries(indicators)
    scores[low.pk] = ScoreEntry(Decimal("2.5"))
    with pytest.raises(ValidationError) as exc:
        services.score_sheet_submit(actor=evaluator, assignment=assignment, scores=scores)
    assert list(exc.value.message_dict) == [f"comment_{low.pk}"]
    assert "低于满分的 60%" in exc.value.message_dict[f"comment_{low.pk}"][0]
    scores[low.pk] = ScoreEntry(Decimal("3"))  # exactly 60%: no comment needed
    sheet = services.score_sheet_submit(actor=evaluator, assignment=assignment, scores=scores)
    assert sheet.is_submitted


def test_a3_a_submitted_sheet_is_locked(evaluation, evaluator):
    sheet = declare_and_submit(evaluation, evaluator, "90")
    assignment = _assignment(evaluation, evaluator)
    ind = rubric_indicators(evaluation)[0]
    for call in (services.score_sheet_save, services.score_sheet_submit):
        with pytest.raises(ValidationError, match="已提交并锁定"):
            call(actor=evaluator, assignment=assignment, scores={ind.pk: ScoreEntry(Decimal("1"), "改")})
    assert ScoreSheet.objects.get(pk=sheet.pk).total == sheet.total


def test_a3_a_rubric_in_use_is_never_changed_in_place(bureau, evaluation):
    used = evaluation.rubric
    before = [(d.code, d.weight) for d in used.dimensions.all()]
    revised = services.rubric_update(actor=bureau, rubric=used, two_way_weight=Decimal("30"))
    assert revised.pk != used.pk and revised.derived_from_id == used.pk and revised.version == used.version + 1
    used.refresh_from_db()
    assert used.two_way_weight == Decimal("20") and [(d.code, d.weight) for d in used.dimensions.all()] == before
    assert revised.two_way_weight == Decimal("30") and revised.is_default and not used.is_default
    evaluation.refresh_from_db()
    assert evaluation.rubric_id == used.pk


def test_a3_the_total_weights_each_dimension_by_its_share_of_points():
    class Ind:
        def __init__(self, pk, code, weight, max_score):
            self.pk = pk
            self.dimension_id = code
            self.order = pk
            self.max_score = Decimal(max_score)
            self.dimension = type("D", (), {"pk": code, "code": code, "weight": Decimal(weight), "order": 0})()

    # A dimension of weight 40 scored out of 10 points and one of weight 60 scored out of 4.
    indicators = [Ind(1, "a", "40", "10"), Ind(2, "b", "60", "2"), Ind(3, "b", "60", "2")]
    total, parts = rubric_total(dimension_specs(indicators), {1: Decimal("5"), 2: Decimal("2"), 3: Decimal("1")})
    assert [p.points for p in parts] == [Decimal("20.00"), Decimal("45.00")]
    assert total == Decimal("65.00")


# --- A4 ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "grade"),
    [
        ("100", Grade.EXCELLENT),
        ("90", Grade.EXCELLENT),
        ("89.99", Grade.GOOD),
        ("80", Grade.GOOD),
        ("79.99", Grade.PASS),
        ("60", Grade.PASS),
        ("59.99", Grade.FAIL),
        ("0", Grade.FAIL),
    ],
)
def test_a4_grade_bands(score, grade):
    assert grade_for(Decimal(score)) == grade


def test_a4_final_score_combines_third_party_and_two_way_by_the_weights():
    assert final_score(Decimal("90"), Decimal("75"), Decimal("20")) == Decimal("87.00")
    assert final_score(Decimal("90"), Decimal("75"), Decimal("50")) == Decimal("82.50")
    assert final_score(Decimal("90"), None, Decimal("0")) == Decimal("90.00")


def test_a4_package_score_is_the_mean_of_the_totals_and_the_result_is_stored(
    bureau, evaluation, evaluator, evaluator2, closed_round
):
    declare_and_submit(evaluation, evaluator, "100")
    declare_and_submit(evaluation, evaluator2, "80")
    evaluation.refresh_from_db()
    assert evaluation.status == Evaluation.Status.SCORED
    result = services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    assert result.package_score == Decimal("90.00")
    assert result.spread == Decimal("20.00")
    assert result.two_way_score == Decimal("75.00")  # every two-way sheet at 75%
    assert result.two_way_weight == Decimal("20")
    assert result.final_score == Decimal("87.00")  # 90 × 80% + 75 × 20%
    assert result.grade == Grade.GOOD
    dims = {d["code"]: Decimal(d["points"]) for d in result.dimension_scores}
    assert dims["management"] == Decimal("16.00")  # (20 + 12) / 2: the second sheet lost 8 of its 20 points here
    assert sum(dims.values()) == result.package_score


def test_a4_the_two_way_weight_is_configurable_per_rubric(bureau, package, world, evaluator, evaluator2):
    rubric = services.rubric_update(actor=bureau, rubric=services.rubric_default(), two_way_weight=Decimal("0"))
    evaluation = services.evaluation_assign(
        actor=bureau,
        package=package,
        stage=Evaluation.Stage.MID_TERM,
        firm=world.firm,
        evaluator_ids=[evaluator.pk, evaluator2.pk],
        rubric=rubric,
    )
    declare_and_submit(evaluation, evaluator, "90")
    declare_and_submit(evaluation, evaluator2, "90")
    # No two-way round at all, and none needed at weight 0.
    result = services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    assert result.final_score == result.package_score


def test_a4_finalising_needs_a_closed_two_way_round_in_the_stage_window(
    bureau, evaluation, evaluator, evaluator2, package, raters
):
    declare_and_submit(evaluation, evaluator)
    declare_and_submit(evaluation, evaluator2)
    open_round = filled_round(bureau, package, raters, close=False)
    with pytest.raises(ValidationError, match="还没有已结束的双向考核结果"):
        services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    services.assessment_round_close(actor=bureau, round_=open_round)
    assert services.evaluation_finalise(actor=bureau, evaluation=evaluation).is_finalised


def test_a4_mid_term_counts_rounds_before_month_12_and_closing_counts_all(
    bureau, package, world, raters, evaluator, evaluator2
):
    from evaluation.selectors import two_way_score

    package.starts_on = timezone.localdate() - datetime.timedelta(days=600)
    package.save()
    early = period_of(package.starts_on + datetime.timedelta(days=10))
    filled_round(bureau, package, raters, period=early, share=Decimal("0.6"))
    filled_round(bureau, package, raters, share=Decimal("1"))  # this half-year: after month 12
    assert two_way_score(package, Evaluation.Stage.MID_TERM) == Decimal("60.00")
    assert two_way_score(package, Evaluation.Stage.CLOSING) == Decimal("80.00")


def test_a4_a_spread_above_15_points_is_flagged_for_the_bureau(
    bureau, evaluation, evaluator, evaluator2, client, closed_round
):
    declare_and_submit(evaluation, evaluator, "100")
    declare_and_submit(evaluation, evaluator2, "80")
    client.force_login(bureau)
    listing = client.get(reverse("evaluation:evaluation-list")).content.decode()
    assert 'data-testid="spread-flag"' in listing and "20.00" in listing
    detail = client.get(reverse("evaluation:evaluation-detail", args=[evaluation.pk])).content.decode()
    assert "分差超过 15 分" in detail
    home = client.get(reverse("directory:home")).content.decode()
    assert "评估员分差 20.00 分，超过 15 分" in home


def test_a4_a_spread_of_15_points_is_not_flagged(bureau, evaluation, evaluator, evaluator2, client):
    declare_and_submit(evaluation, evaluator, "100")
    declare_and_submit(evaluation, evaluator2, "85")
    client.force_login(bureau)
    listing = client.get(reverse("evaluation:evaluation-list")).content.decode()
    assert "15.00" in listing and 'data-testid="spread-flag"' not in listing


# --- A5 ------------------------------------------------------------------------------------------


def test_a5_only_the_bureau_finalises_and_only_when_everyone_submitted(
    bureau, evaluation, evaluator, evaluator2, personas, closed_round
):
    declare_and_submit(evaluation, evaluator)
    with pytest.raises(ValidationError, match="尚未提交评分：第二评估员"):
        services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    declare_and_submit(evaluation, evaluator2)
    for role in (Role.AUDITOR, Role.DISTRICT_OFFICER, Role.EVALUATOR, Role.AGENCY_MANAGER):
        with pytest.raises(PermissionDenied):
            services.evaluation_finalise(actor=personas[role], evaluation=evaluation)
    with pytest.raises(PermissionDenied):
        services.evaluation_finalise(actor=None, evaluation=evaluation)
    before = timezone.now()
    result = services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    assert result.finalised_by == bureau and result.finalised_at >= before


def test_a5_a_finalised_evaluation_is_immutable(bureau, evaluation, evaluator, evaluator2, evaluator3, closed_round):
    declare_and_submit(evaluation, evaluator)
    declare_and_submit(evaluation, evaluator2)
    result = services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    snapshot = Evaluation.objects.filter(pk=evaluation.pk).values().get()
    assignment = _assignment(evaluation, evaluator)
    refusals = [
        lambda: services.evaluation_finalise(actor=bureau, evaluation=result),
        lambda: services.evaluation_evaluators_add(actor=bureau, evaluation=result, evaluator_ids=[evaluator3.pk]),
        lambda: services.assignment_declare(actor=evaluator, assignment=assignment, has_conflict=True, note="x"),
        lambda: services.score_sheet_save(actor=evaluator, assignment=assignment, scores={}),
        lambda: services.score_sheet_submit(actor=evaluator, assignment=assignment),
    ]
    for refuse in refusals:
        with pytest.raises(ValidationError, match="已定稿"):
            refuse()
    # Later two-way rounds or rubric edits do not move a finalised result either.
    services.rubric_update(actor=bureau, rubric=evaluation.rubric, two_way_weight=Decimal("50"))
    assert Evaluation.objects.filter(pk=evaluation.pk).values().get() == snapshot


def test_a5_agency_and_town_see_the_result_only_after_finalisation(
    bureau, evaluation, evaluator, evaluator2, personas, client, closed_round
):
    report = reverse("evaluation:evaluation-report", args=[evaluation.pk])
    readers = [
        Role.AGENCY_MANAGER,
        Role.AGENCY_WORKER,
        Role.TOWN_OFFICER,
        Role.COMMUNITY_OFFICER,
        Role.DISTRICT_OFFICER,
    ]
    declare_and_submit(evaluation, evaluator)
    declare_and_submit(evaluation, evaluator2, "90")
    for role in readers:
        client.force_login(personas[role])
        assert client.get(report).status_code == 404, role
        assert client.get(reverse("evaluation:evaluation-detail", args=[evaluation.pk])).status_code == 404, role
        titles = [s.title for s in evaluation_sections(personas[role])]
        assert "第三方评估结果" not in titles
        listing = client.get(reverse("evaluation:evaluation-list")).content.decode()
        assert f'data-evaluation="{evaluation.pk}"' not in listing
    result = services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    for role in readers:
        client.force_login(personas[role])
        response = client.get(report)
        assert response.status_code == 200, role
        body = response.content.decode()
        assert result.get_grade_display() in body and str(result.final_score) in body
        assert str(bureau) in body  # who finalised it
        (section,) = [s for s in evaluation_sections(personas[role]) if s.title == "第三方评估结果"]
        assert section.items[0].url == report and result.get_grade_display() in section.items[0].detail
    client.force_login(personas[Role.TOWN_OFFICER])
    home = client.get(reverse("directory:home")).content.decode()
    assert "第三方评估结果" in home and result.get_grade_display() in home


def test_a4_finalising_is_refused_while_a_two_way_round_is_still_open_and_names_it(
    bureau, evaluation, evaluator, evaluator2, package, raters, closed_round
):
    declare_and_submit(evaluation, evaluator)
    declare_and_submit(evaluation, evaluator2)
    later = period_of(timezone.localdate() + datetime.timedelta(days=200))
    still_open = filled_round(bureau, package, raters, period=later, close=False)
    with pytest.raises(ValidationError, match=f"双向考核（{later}）仍在进行中"):
        services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    evaluation.refresh_from_db()
    assert not evaluation.is_finalised
    services.assessment_round_close(actor=bureau, round_=still_open)
    assert services.evaluation_finalise(actor=bureau, evaluation=evaluation).is_finalised

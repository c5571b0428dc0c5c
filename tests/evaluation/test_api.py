"""/api/v1/evaluation/: scoped lists, the same services as the pages, 400 with field errors, 403/404."""

from decimal import Decimal

import pytest
from django.urls import reverse

from directory.models import Role
from evaluation import services
from evaluation.models import Evaluation, ScoreSheet

from .helpers import declare_and_submit, entries_totalling, rubric_indicators

pytestmark = pytest.mark.django_db


def api(name: str, *args) -> str:
    return reverse(f"api-v1:{name}", args=args)


def _sheet(evaluation, user) -> ScoreSheet:
    return ScoreSheet.objects.get(assignment__evaluation=evaluation, assignment__evaluator=user)


def _payload(indicators, total="90", comment=""):
    return {
        "scores": [
            {"indicator": pk, "score": str(e.score), "comment": comment}
            for pk, e in entries_totalling(indicators, Decimal(total)).items()
        ]
    }


def test_evaluation_list_is_scoped_and_hides_results_until_finalised(
    client, personas, outsiders, bureau, evaluation, evaluator, evaluator2, closed_round, django_assert_max_num_queries
):
    client.force_login(bureau)
    with django_assert_max_num_queries(6):
        rows = client.get(api("evaluation-list")).json()["results"]
    assert [r["id"] for r in rows] == [evaluation.pk] and rows[0]["final_score"] is None
    for user, count in (
        (personas[Role.EVALUATOR], 1),
        (outsiders[Role.EVALUATOR], 0),
        (personas[Role.AGENCY_MANAGER], 0),
    ):
        client.force_login(user)
        assert client.get(api("evaluation-list")).json()["count"] == count
    declare_and_submit(evaluation, evaluator, "90")
    declare_and_submit(evaluation, evaluator2, "80")
    services.evaluation_finalise(actor=bureau, evaluation=evaluation)
    client.force_login(personas[Role.AGENCY_MANAGER])
    (row,) = client.get(api("evaluation-list")).json()["results"]
    assert row["final_score"] == "83.00" and row["grade"] == "good" and row["finalised_by"] == str(bureau)
    client.force_login(outsiders[Role.AGENCY_MANAGER])
    assert client.get(api("evaluation-list")).json()["count"] == 0


def test_assign_declare_score_submit_and_finalise_through_the_api(
    client, bureau, package, world, evaluator, evaluator2, closed_round
):
    client.force_login(bureau)
    payload = {"package": package.pk, "stage": "mid_term", "firm": world.firm.pk, "evaluators": [evaluator.pk]}
    response = client.post(api("evaluation-assign"), payload, content_type="application/json")
    assert response.status_code == 400 and "evaluators" in response.json()
    payload["evaluators"] = [evaluator.pk, evaluator2.pk]
    response = client.post(api("evaluation-assign"), payload, content_type="application/json")
    assert response.status_code == 201
    evaluation = Evaluation.objects.get(pk=response.json()["id"])
    indicators = rubric_indicators(evaluation)

    for user, total in ((evaluator, "92"), (evaluator2, "86")):
        client.force_login(user)
        assignment = evaluation.assignments.get(evaluator=user)
        sheet = _sheet(evaluation, user)
        # Scoring before declaring is refused.
        response = client.post(
            api("evaluation-sheet-save", sheet.pk), _payload(indicators), content_type="application/json"
        )
        assert response.status_code == 400 and "声明" in str(response.json())
        response = client.post(
            api("evaluation-declare", assignment.pk), {"has_conflict": False}, content_type="application/json"
        )
        assert response.status_code == 200 and response.json()["removed"] is False
        response = client.post(
            api("evaluation-sheet-submit", sheet.pk), _payload(indicators, total), content_type="application/json"
        )
        assert response.status_code == 200, response.json()
        assert response.json()["status"] == "submitted" and response.json()["total"] == f"{total}.00"
        # Scoring after submitting is refused.
        response = client.post(
            api("evaluation-sheet-save", sheet.pk), _payload(indicators), content_type="application/json"
        )
        assert response.status_code == 400 and "锁定" in str(response.json())

    client.force_login(bureau)
    response = client.post(api("evaluation-finalise", evaluation.pk))
    assert response.status_code == 200
    assert response.json()["package_score"] == "89.00" and response.json()["final_score"] == "86.20"
    response = client.post(api("evaluation-finalise", evaluation.pk))
    assert response.status_code == 400 and "已定稿" in str(response.json())


def test_score_errors_come_back_as_field_errors(client, evaluation, evaluator):
    services.assignment_declare(
        actor=evaluator, assignment=evaluation.assignments.get(evaluator=evaluator), has_conflict=False
    )
    ind = rubric_indicators(evaluation)[0]
    sheet = _sheet(evaluation, evaluator)
    client.force_login(evaluator)
    for score, message in (("6", "不能超过满分"), ("-1", "不能为负数"), ("1.2", "0.5")):
        response = client.post(
            api("evaluation-sheet-save", sheet.pk),
            {"scores": [{"indicator": ind.pk, "score": score}]},
            content_type="application/json",
        )
        assert response.status_code == 400
        assert message in response.json()[f"score_{ind.pk}"][0]
    response = client.post(
        api("evaluation-sheet-save", sheet.pk), {"scores": [{"indicator": "x"}]}, content_type="application/json"
    )
    assert response.status_code == 400 and "scores" in response.json()
    response = client.post(
        api("evaluation-sheet-submit", sheet.pk),
        {"scores": [{"indicator": ind.pk, "score": "1"}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert (
        f"comment_{ind.pk}" in errors
        and len([k for k in errors if k.startswith("score_")]) == len(rubric_indicators(evaluation)) - 1
    )


def test_other_peoples_sheets_are_404_and_bureau_actions_403(
    client, evaluation, evaluator, evaluator2, evaluator3, outsiders, personas
):
    sheet = _sheet(evaluation, evaluator)
    assignment = evaluation.assignments.get(evaluator=evaluator)
    for user in (evaluator2, evaluator3, outsiders[Role.EVALUATOR], personas[Role.BUREAU_ADMIN]):
        client.force_login(user)
        assert (
            client.post(api("evaluation-sheet-submit", sheet.pk), {}, content_type="application/json").status_code
            == 404
        )
        response = client.post(
            api("evaluation-declare", assignment.pk), {"has_conflict": False}, content_type="application/json"
        )
        assert response.status_code == 404
    for role in (Role.AUDITOR, Role.EVALUATOR):
        client.force_login(personas[role])
        assert client.post(api("evaluation-finalise", evaluation.pk)).status_code == 403
    client.force_login(personas[Role.AGENCY_MANAGER])
    assert client.post(api("evaluation-finalise", evaluation.pk)).status_code == 404
    payload = {"package": evaluation.package_id, "stage": "closing", "firm": evaluation.firm_id, "evaluators": [1, 2]}
    assert client.post(api("evaluation-assign"), payload, content_type="application/json").status_code == 403


def test_two_way_rounds_through_the_api(client, bureau, package, world, personas):
    client.force_login(bureau)
    response = client.post(
        api("evaluation-round-open"), {"package": package.pk, "period": "bad"}, content_type="application/json"
    )
    assert response.status_code == 400 and "period" in response.json()
    period = services.assessments.period_of(package.starts_on)
    response = client.post(
        api("evaluation-round-open"), {"package": package.pk, "period": period}, content_type="application/json"
    )
    assert response.status_code == 201
    round_id = response.json()["id"]
    manager = personas[Role.AGENCY_MANAGER]
    client.force_login(manager)
    sheets = client.get(api("evaluation-assessment-sheet-list")).json()["results"]
    assert [s["rater"] for s in sheets] == [world.agency.name]  # only its own sheet while the round is open
    sheet = package.assessment_rounds.get().sheets.get(rater_organisation=world.agency)
    indicators = list(sheet.round.town_office_indicator_set.indicators.all())
    payload = {"scores": [{"indicator": i.pk, "score": str(i.max_score * Decimal("0.8"))} for i in indicators]}
    response = client.post(
        api("evaluation-assessment-sheet-submit", sheet.pk), payload, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["percent"] == "80.00"
    response = client.post(api("evaluation-assessment-sheet-save", sheet.pk), payload, content_type="application/json")
    assert response.status_code == 400
    client.force_login(personas[Role.TOWN_OFFICER])
    assert (
        client.post(
            api("evaluation-assessment-sheet-save", sheet.pk), payload, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.post(api("evaluation-round-close", round_id)).status_code == 403
    client.force_login(bureau)
    assert client.post(api("evaluation-round-close", round_id)).json()["is_closed"] is True
    client.force_login(personas[Role.TOWN_OFFICER])
    assert len(client.get(api("evaluation-assessment-sheet-list")).json()["results"]) == 3


def test_two_way_lists_are_scoped_with_constant_queries(
    client, bureau, package, other_package, personas, outsiders, raters, django_assert_max_num_queries
):
    from .helpers import filled_round

    filled_round(bureau, package, raters, close=False)
    for user, rounds, sheets in (
        (bureau, 1, 3),
        (personas[Role.AGENCY_MANAGER], 1, 1),  # its own sheet only while the round is open
        (outsiders[Role.AGENCY_MANAGER], 0, 0),
    ):
        client.force_login(user)
        with django_assert_max_num_queries(6):
            assert client.get(api("evaluation-round-list")).json()["count"] == rounds
        with django_assert_max_num_queries(6):
            assert client.get(api("evaluation-assessment-sheet-list")).json()["count"] == sheets

"""The third-party evaluation journey (A2–A5) in a real browser: the bureau assigns two evaluators → each
declares no conflict and scores → the bureau finalises → the agency sees its grade."""

import pytest

from directory.models import Role
from evaluation.models import Evaluation, RubricIndicator
from tests.browser.conftest import login
from tests.evaluation.helpers import filled_round
from tests.factories import MembershipFactory, UserFactory
from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory

pytestmark = [pytest.mark.browser]


@pytest.fixture
def journey(transactional_db, world, personas):
    from catalog.models import CatalogueEdition

    edition, _created = CatalogueEdition.objects.get_or_create(
        code="2018-new-round", defaults={"name_zh": "2018年新一轮", "name_en": "2018 new round", "year": 2018}
    )
    package = PackageFactory(
        town=world.town_a1, agency=AgencyFactory(organisation=world.agency), round=RoundFactory(edition=edition)
    )
    raters = {
        world.town_office_a1.pk: personas[Role.TOWN_OFFICER],
        world.committee_a1.pk: personas[Role.COMMUNITY_OFFICER],
        world.agency.pk: personas[Role.AGENCY_MANAGER],
    }
    filled_round(personas[Role.BUREAU_ADMIN], package, raters)  # a closed two-way round at 75%
    colleague = UserFactory(username="p_evaluator_2", full_name="第二评估员")
    MembershipFactory(user=colleague, organisation=world.firm, role=Role.EVALUATOR)
    return {"package": package, "evaluators": [personas[Role.EVALUATOR], colleague]}


def _switch(page, live_server, username: str) -> None:
    page.context.clear_cookies()
    login(page, live_server, username)


def test_bureau_assigns_evaluators_score_finalise_and_the_agency_sees_its_grade(
    live_server, page, personas, world, journey, screenshot
):
    package, evaluators = journey["package"], journey["evaluators"]
    page.on("dialog", lambda dialog: dialog.accept())

    # The bureau assigns the firm and two of its evaluators.
    login(page, live_server, personas[Role.BUREAU_ADMIN].username)
    page.goto(f"{live_server.url}/evaluation/")
    page.click("[data-testid=assign]")
    page.select_option("select[name=package]", str(package.pk))
    page.select_option("select[name=stage]", "mid_term")
    page.select_option("select[name=firm]", str(world.firm.pk))
    for user in evaluators:
        page.check(f"input[name=evaluators][value='{user.pk}']")
    page.click("[data-testid=assign-submit]")
    page.wait_for_selector("[data-testid=assignment-table]")
    evaluation = Evaluation.objects.get(package=package, stage="mid_term")
    assert page.locator("[data-testid=status]").inner_text() == "已派出"

    # Each evaluator declares no conflict, saves a draft in place, then submits.
    maxima = {i.pk: i.max_score for i in RubricIndicator.objects.filter(dimension__rubric=evaluation.rubric)}
    for n, user in enumerate(evaluators):
        _switch(page, live_server, user.username)
        page.goto(f"{live_server.url}/evaluation/")
        page.click("[data-testid=declare]")
        page.check("input[name=has_conflict][value=no]")
        page.click("[data-testid=declare-submit]")
        page.wait_for_selector("#score-form")
        assert "乐仁社工服务社" in page.locator("[data-testid=facts]").inner_text()
        assert "75.00%" in page.locator("[data-testid=two-way]").inner_text()
        for pk, maximum in maxima.items():
            # The first evaluator gives full marks, the second 80% of each maximum (rounded to 0.5).
            score = maximum if n == 0 else (maximum * 8 / 10 * 2).to_integral_value() / 2
            page.fill(f"input[name=score_{pk}]", str(score))
        page.click("[data-testid=save-draft]")
        page.wait_for_selector("[data-testid=saved]")
        if n == 0:
            screenshot(page, "evaluation-workspace-zh")
        page.click("[data-testid=submit-sheet]")
        page.wait_for_selector("[data-testid=sheet-submitted]")
        assert page.locator("[data-testid=submit-sheet]").count() == 0

    # The bureau sees the spread flagged (100 vs about 80) and finalises.
    _switch(page, live_server, personas[Role.BUREAU_ADMIN].username)
    page.goto(f"{live_server.url}/evaluation/evaluations/{evaluation.pk}/")
    assert page.locator("[data-testid=spread-flag]").is_visible()
    page.click("[data-testid=finalise]")
    page.wait_for_selector("[data-testid=result]")
    evaluation.refresh_from_db()
    assert evaluation.is_finalised
    grade = evaluation.get_grade_display()
    assert page.locator("[data-testid=grade]").inner_text() == grade

    # The agency finds the grade on its home page and opens the report.
    _switch(page, live_server, personas[Role.AGENCY_MANAGER].username)
    page.get_by_role("link", name=str(evaluation)).click()
    page.wait_for_selector("[data-testid=report]")
    assert page.locator("[data-testid=grade]").inner_text() == grade
    assert page.locator("[data-testid=final-score]").inner_text() == str(evaluation.final_score)
    screenshot(page, "evaluation-report-zh")

"""The permission matrix of the evaluation pages: persona × page → status, before and after finalisation.
Outsiders (the same role on side B; for evaluators, an evaluator of the other firm) get 404 everywhere."""

import pytest
from django.urls import reverse

from directory.models import Role
from evaluation import services
from tests.conftest import SCOPED_ROLES

from .helpers import declare_and_submit

pytestmark = pytest.mark.django_db

ALL = list(Role.values)
PLACE_AND_AGENCY = [
    Role.DISTRICT_OFFICER,
    Role.TOWN_OFFICER,
    Role.COMMUNITY_OFFICER,
    Role.AGENCY_MANAGER,
    Role.AGENCY_WORKER,
]


def expected(role: str, allowed: dict[str, int], default: int = 404) -> int:
    return allowed.get(role, default)


@pytest.fixture
def scored(evaluation, evaluator, evaluator2, closed_round):
    """The mid-term evaluation with both sheets submitted (not yet finalised)."""
    declare_and_submit(evaluation, evaluator, "92")
    declare_and_submit(evaluation, evaluator2, "88")
    return evaluation


def _status(client, user, url) -> int:
    client.force_login(user)
    return client.get(url).status_code


@pytest.mark.parametrize("role", ALL)
def test_matrix_before_finalisation(client, personas, scored, closed_round, role):
    user = personas[role]
    pk = scored.pk
    cases = {
        reverse("evaluation:evaluation-list"): {r: 200 for r in ALL},
        reverse("evaluation:evaluation-assign"): {r: 403 for r in ALL} | {Role.BUREAU_ADMIN: 200},
        reverse("evaluation:evaluation-detail", args=[pk]): {
            Role.BUREAU_ADMIN: 200,
            Role.AUDITOR: 200,
            Role.EVALUATOR: 302,
        },
        # A5: the result does not exist before finalisation, not even for the bureau.
        reverse("evaluation:evaluation-report", args=[pk]): {},
        reverse("evaluation:evaluation-workspace", args=[pk]): {Role.EVALUATOR: 200},
        reverse("evaluation:evaluation-declare", args=[pk]): {Role.EVALUATOR: 302},  # declared: to the workspace
        reverse("evaluation:round-list"): {r: 200 for r in ALL},
        reverse("evaluation:round-open"): {r: 403 for r in ALL} | {Role.BUREAU_ADMIN: 200},
        reverse("evaluation:round-detail", args=[closed_round.pk]): {
            r: 200 for r in [Role.BUREAU_ADMIN, Role.AUDITOR, *PLACE_AND_AGENCY]
        },
        reverse("evaluation:package-assessments", args=[scored.package_id]): {
            r: 200 for r in [Role.BUREAU_ADMIN, Role.AUDITOR, *PLACE_AND_AGENCY]
        },
    }
    for url, allowed in cases.items():
        assert _status(client, user, url) == expected(role, allowed), url


@pytest.mark.parametrize("role", ALL)
def test_matrix_after_finalisation(client, personas, scored, bureau, role):
    services.evaluation_finalise(actor=bureau, evaluation=scored)
    user = personas[role]
    readers = {r: 200 for r in [Role.BUREAU_ADMIN, Role.AUDITOR, Role.EVALUATOR, *PLACE_AND_AGENCY]}
    report = reverse("evaluation:evaluation-report", args=[scored.pk])
    assert _status(client, user, report) == expected(role, readers)
    detail = reverse("evaluation:evaluation-detail", args=[scored.pk])
    # Readers other than the bureau and the auditor are sent on to the report (or the evaluator's workspace).
    assert _status(client, user, detail) == expected(
        role, {r: 302 for r in readers} | {Role.BUREAU_ADMIN: 200, Role.AUDITOR: 200}
    )
    workspace = reverse("evaluation:evaluation-workspace", args=[scored.pk])
    assert _status(client, user, workspace) == expected(role, {Role.EVALUATOR: 200})


@pytest.mark.parametrize("role", SCOPED_ROLES)
def test_outsiders_get_404_everywhere(client, outsiders, personas, scored, bureau, closed_round, role):
    services.evaluation_finalise(actor=bureau, evaluation=scored)
    user = outsiders[role]
    urls = [
        reverse("evaluation:evaluation-detail", args=[scored.pk]),
        reverse("evaluation:evaluation-report", args=[scored.pk]),
        reverse("evaluation:evaluation-workspace", args=[scored.pk]),
        reverse("evaluation:evaluation-declare", args=[scored.pk]),
        reverse("evaluation:round-detail", args=[closed_round.pk]),
        reverse("evaluation:package-assessments", args=[scored.package_id]),
        *[reverse("evaluation:sheet-detail", args=[s.pk]) for s in closed_round.sheets.all()],
    ]
    for url in urls:
        assert _status(client, user, url) == 404, url
    client.force_login(user)
    listing = client.get(reverse("evaluation:evaluation-list")).content.decode()
    assert f'data-evaluation="{scored.pk}"' not in listing


def test_an_evaluator_opening_an_evaluation_not_assigned_to_them_gets_404(client, evaluation, evaluator3, outsiders):
    for user in (evaluator3, outsiders[Role.EVALUATOR]):
        client.force_login(user)
        for name in ("evaluation-workspace", "evaluation-declare", "evaluation-detail", "evaluation-report"):
            assert client.get(reverse(f"evaluation:{name}", args=[evaluation.pk])).status_code == 404, name
        response = client.post(reverse("evaluation:evaluation-sheet-save", args=[evaluation.pk]), {})
        assert response.status_code == 404


def test_anonymous_users_are_sent_to_login(client, evaluation):
    for url in (
        reverse("evaluation:evaluation-list"),
        reverse("evaluation:evaluation-workspace", args=[evaluation.pk]),
        reverse("evaluation:round-list"),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", SCOPED_ROLES)
def test_outsiders_get_404_on_every_write(client, outsiders, scored, closed_round, role):
    client.force_login(outsiders[role])
    sheet = closed_round.sheets.first()
    urls = [
        reverse("evaluation:evaluation-finalise", args=[scored.pk]),
        reverse("evaluation:evaluation-add-evaluators", args=[scored.pk]),
        reverse("evaluation:evaluation-declare", args=[scored.pk]),
        reverse("evaluation:evaluation-sheet-save", args=[scored.pk]),
        reverse("evaluation:evaluation-sheet-submit", args=[scored.pk]),
        reverse("evaluation:round-close", args=[closed_round.pk]),
        reverse("evaluation:sheet-save", args=[sheet.pk]),
        reverse("evaluation:sheet-submit", args=[sheet.pk]),
    ]
    for url in urls:
        assert client.post(url, {}).status_code == 404, url
    scored.refresh_from_db()
    assert not scored.is_finalised

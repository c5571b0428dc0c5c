"""K8: who sees which finding, and who may answer or waive it (compliance/permissions.py, selectors.finding_list).
Every persona and the outsider of every scoped role, on the list, the detail page (an outsider gets 404) and the
predicates."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.urls import reverse

from compliance.permissions import can_list_findings, can_respond_finding, can_waive_finding
from compliance.selectors import finding_list
from directory.models import Role
from tests.compliance.findings_world import make_findings

pytestmark = pytest.mark.django_db

# Which of the four findings (see findings_world) each persona sees.
SEES = {
    Role.BUREAU_ADMIN: {"k3", "k4", "k7", "k6"},
    Role.AUDITOR: {"k3", "k4", "k7", "k6"},
    Role.DISTRICT_OFFICER: {"k3", "k4", "k7"},
    Role.TOWN_OFFICER: {"k3", "k4", "k7"},
    # Its community's only: town-level findings (the package as a whole, money) are the town office's.
    Role.COMMUNITY_OFFICER: {"k4"},
    Role.AGENCY_MANAGER: {"k3", "k4"},
    Role.AGENCY_WORKER: {"k3", "k4"},
    # (an evaluator or fund manager sees only findings that name its own organisation: none here)
    Role.EVALUATOR: set(),
    Role.EXPERT: set(),
    Role.FUND_MANAGER: set(),
}
OUTSIDER_SEES = {
    Role.DISTRICT_OFFICER: {"k6"},
    Role.TOWN_OFFICER: {"k6"},
    Role.COMMUNITY_OFFICER: set(),
    Role.AGENCY_MANAGER: {"k6"},
    Role.AGENCY_WORKER: {"k6"},
    Role.EVALUATOR: set(),
    Role.EXPERT: set(),
}


@pytest.fixture
def findings(world, package):
    return make_findings(world, package)


def _names(findings, qs) -> set[str]:
    ids = set(qs.values_list("pk", flat=True))
    return {name for name in ("k3", "k4", "k7", "k6") if getattr(findings, name).pk in ids}


@pytest.mark.parametrize("role", list(SEES))
def test_k8_each_persona_sees_only_its_own_findings(findings, personas, role):
    assert _names(findings, finding_list(user=personas[role])) == SEES[role]


@pytest.mark.parametrize("role", list(OUTSIDER_SEES))
def test_k8_outsiders_see_only_their_side(findings, outsiders, role):
    assert _names(findings, finding_list(user=outsiders[role])) == OUTSIDER_SEES[role]


def test_k8_anonymous_and_roleless_users_see_nothing(findings, no_role_user):
    assert not finding_list(user=AnonymousUser()).exists()
    assert not finding_list(user=no_role_user).exists()
    assert can_list_findings(AnonymousUser()) is False and can_list_findings(no_role_user) is False


@pytest.mark.parametrize("role", list(SEES))
def test_k8_detail_page_is_404_for_a_finding_outside_the_scope(client, findings, personas, role):
    client.force_login(personas[role])
    for name in ("k3", "k4", "k7", "k6"):
        response = client.get(reverse("compliance:finding-detail", args=[getattr(findings, name).pk]))
        assert response.status_code == (200 if name in SEES[role] else 404), (role, name)


def test_k8_town_officer_of_another_town_gets_404_on_this_towns_finding(client, findings, outsiders):
    client.force_login(outsiders[Role.TOWN_OFFICER])
    assert client.get(findings.k3.get_absolute_url()).status_code == 404
    assert client.get(reverse("api-v1:compliance-finding-detail", args=[findings.k3.pk])).status_code == 404


def test_k8_agency_of_another_package_gets_404(client, findings, outsiders):
    client.force_login(outsiders[Role.AGENCY_MANAGER])
    assert client.get(findings.k3.get_absolute_url()).status_code == 404
    assert client.get(findings.k4.get_absolute_url()).status_code == 404
    response = client.post(reverse("compliance:finding-respond", args=[findings.k3.pk]), {"text": "已整改"})
    assert response.status_code == 404


def test_k8_list_page_is_404_for_experts_and_empty_for_evaluators(client, findings, personas):
    client.force_login(personas[Role.EXPERT])
    assert client.get(reverse("compliance:finding-list")).status_code == 404
    for role in (Role.EVALUATOR, Role.FUND_MANAGER):
        client.force_login(personas[role])
        response = client.get(reverse("compliance:finding-list"))
        assert response.status_code == 200 and not response.context["findings"]


def test_k8_an_evaluator_sees_and_answers_a_finding_naming_its_firm_only(client, world, personas, outsiders):
    from compliance.checks import Found
    from compliance.models import Finding
    from compliance.services import findings_sync

    findings_sync(rule="K6", found=[Found("evaluation:9", "评分逾期", organisation_id=world.firm.pk)])
    late = Finding.objects.get(rule="K6")
    evaluator = personas[Role.EVALUATOR]
    assert list(finding_list(user=evaluator)) == [late]
    assert can_respond_finding(evaluator, late) is True
    assert not finding_list(user=outsiders[Role.EVALUATOR]).exists()
    client.force_login(outsiders[Role.EVALUATOR])
    assert client.get(late.get_absolute_url()).status_code == 404


def test_k8_an_agency_sees_a_finding_about_its_package_even_when_another_organisation_must_answer(
    world, package, personas
):
    from compliance.checks import Found
    from compliance.services import findings_sync

    findings_sync(
        rule="K1",
        found=[Found("package:x", "人员不足", organisation_id=world.city_bureau.pk, package_id=package.pk)],
    )
    assert finding_list(user=personas[Role.AGENCY_MANAGER]).filter(rule="K1").exists()


# --- predicates ---------------------------------------------------------------------------------------------------


def test_k8_the_responsible_organisation_answers_others_do_not(findings, personas, outsiders):
    for role in (Role.AGENCY_MANAGER, Role.AGENCY_WORKER):
        assert can_respond_finding(personas[role], findings.k3) is True
        assert can_respond_finding(personas[role], findings.k7) is False  # the town office's
    assert can_respond_finding(personas[Role.TOWN_OFFICER], findings.k7) is True
    assert can_respond_finding(personas[Role.TOWN_OFFICER], findings.k3) is False
    # The bureau does not answer on an agency's behalf (it waives instead); the auditor only reads.
    assert can_respond_finding(personas[Role.BUREAU_ADMIN], findings.k3) is False
    assert can_respond_finding(personas[Role.AUDITOR], findings.k3) is False
    assert can_respond_finding(outsiders[Role.AGENCY_MANAGER], findings.k6) is True
    assert can_respond_finding(outsiders[Role.AGENCY_MANAGER], findings.k3) is False


def test_k8_only_the_bureau_waives_and_only_open_or_answered_findings(findings, personas):
    assert can_waive_finding(personas[Role.BUREAU_ADMIN], findings.k3) is True
    for role in (Role.AUDITOR, Role.AGENCY_MANAGER, Role.TOWN_OFFICER, Role.DISTRICT_OFFICER):
        assert can_waive_finding(personas[role], findings.k3) is False
    findings.k3.status = "waived"
    assert can_waive_finding(personas[Role.BUREAU_ADMIN], findings.k3) is False
    assert can_respond_finding(personas[Role.AGENCY_MANAGER], findings.k3) is False
    findings.k3.status = "closed"
    assert can_waive_finding(personas[Role.BUREAU_ADMIN], findings.k3) is False
    findings.k3.status = "responded"
    assert can_waive_finding(personas[Role.BUREAU_ADMIN], findings.k3) is True
    assert can_respond_finding(personas[Role.AGENCY_MANAGER], findings.k3) is True

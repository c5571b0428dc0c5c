"""Focus-issue pages: scoped lists (outsiders see nothing, 404 on details), constant queries, the create and
move forms with their messages, and the town page with resolved counts."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from delivery.models import FocusIssue
from delivery.services.focus import focus_issue_move, focus_issue_report
from directory.models import Role
from tests.procurement.factories import PackageFactory

pytestmark = pytest.mark.django_db
Status = FocusIssue.Status
LIST = "delivery:focus-issue-list"


def make(actor, community, title="楼道堆物", kind=FocusIssue.Kind.STAIRWELL_SAFETY):
    return focus_issue_report(actor=actor, community=community, kind=kind, title=title, description="消防通道被占。")


@pytest.fixture
def issues(package, world, officer, worker, outsiders, other_agency, round_2018):
    """One issue in the officer's community, one in another community of town A1, one in town B1."""
    PackageFactory(town=world.town_b1, agency=other_agency, round=round_2018)
    return {
        "own": make(officer, world.communities_a1[0], title="南园楼道堆物"),
        "neighbour": make(worker, world.communities_a1[2], title="邻社区宠物扰民", kind=FocusIssue.Kind.PET_NUISANCE),
        "away": make(outsiders[Role.COMMUNITY_OFFICER], world.community_b1, title="松陵群租房"),
    }


def titles(response) -> set[str]:
    html = response.content.decode()
    return {t for t in ("南园楼道堆物", "邻社区宠物扰民", "松陵群租房") if t in html}


@pytest.mark.parametrize(
    ("who", "role", "expected"),
    [
        ("personas", Role.COMMUNITY_OFFICER, {"南园楼道堆物"}),
        ("personas", Role.TOWN_OFFICER, {"南园楼道堆物", "邻社区宠物扰民"}),
        ("personas", Role.DISTRICT_OFFICER, {"南园楼道堆物", "邻社区宠物扰民"}),
        ("personas", Role.AGENCY_WORKER, {"南园楼道堆物", "邻社区宠物扰民"}),
        ("personas", Role.BUREAU_ADMIN, {"南园楼道堆物", "邻社区宠物扰民", "松陵群租房"}),
        ("personas", Role.AUDITOR, {"南园楼道堆物", "邻社区宠物扰民", "松陵群租房"}),
        ("personas", Role.EVALUATOR, set()),
        ("outsiders", Role.TOWN_OFFICER, {"松陵群租房"}),
        ("outsiders", Role.AGENCY_WORKER, {"松陵群租房"}),
        ("outsiders", Role.DISTRICT_OFFICER, {"松陵群租房"}),
    ],
)
def test_s5_list_is_scoped(client_for, personas, outsiders, issues, who, role, expected):
    user = (personas if who == "personas" else outsiders)[role]
    assert titles(client_for(user).get(reverse(LIST))) == expected


def test_s5_list_filters_by_status_kind_and_community(client_for, issues, world, town_officer):
    client = client_for(town_officer)
    focus_issue_move(actor=town_officer, issue=issues["own"], to_status=Status.IN_PROGRESS)
    assert titles(client.get(reverse(LIST), {"status": "in_progress"})) == {"南园楼道堆物"}
    assert titles(client.get(reverse(LIST), {"kind": "pet_nuisance"})) == {"邻社区宠物扰民"}
    assert titles(client.get(reverse(LIST), {"community": world.communities_a1[2].pk})) == {"邻社区宠物扰民"}
    # filtering for another town's community never widens the scope
    assert titles(client.get(reverse(LIST), {"community": world.community_b1.pk})) == set()
    partial = client.get(reverse(LIST), {"status": "reported"}, HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in partial and "邻社区宠物扰民" in partial


def test_s5_list_uses_a_constant_number_of_queries(client_for, package, world, worker, django_assert_max_num_queries):
    client = client_for(worker)
    counts = []
    for rows in (3, 20):
        for i in range(FocusIssue.objects.count(), rows):
            make(worker, world.communities_a1[i % 4], title=f"问题{i}")
        with CaptureQueriesContext(connection) as queries, django_assert_max_num_queries(8):
            response = client.get(reverse(LIST))
        assert response.content.decode().count('class="badge" data-status="reported"') == rows
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_s5_detail_is_404_for_outsiders(client_for, issues, outsiders, personas):
    url = issues["own"].get_absolute_url()
    for role in (Role.COMMUNITY_OFFICER, Role.TOWN_OFFICER, Role.AGENCY_WORKER, Role.DISTRICT_OFFICER):
        assert client_for(outsiders[role]).get(url).status_code == 404
    # the officer of community A1 does not see a neighbouring community's issue either
    assert client_for(personas[Role.COMMUNITY_OFFICER]).get(issues["neighbour"].get_absolute_url()).status_code == 404
    assert client_for(personas[Role.TOWN_OFFICER]).get(url).status_code == 200


def test_s5_register_through_the_form(client_for, package, community, officer):
    client = client_for(officer)
    form = client.get(reverse("delivery:focus-issue-create")).content.decode()
    assert community.name in form
    response = client.post(
        reverse("delivery:focus-issue-create"),
        {"community": community.pk, "kind": "green_farming", "title": "绿地被种菜", "description": "草坪被开垦。"},
    )
    issue = FocusIssue.objects.get()
    assert response["Location"] == issue.get_absolute_url()
    assert (issue.kind, issue.reported_by, issue.package) == ("green_farming", officer, package)


def test_s5_the_form_offers_only_the_users_communities(client_for, package, world, officer):
    client = client_for(officer)
    response = client.post(
        reverse("delivery:focus-issue-create"),
        {"community": world.communities_a1[1].pk, "kind": "sanitation", "title": "垃圾", "description": "x"},
    )
    assert response.status_code == 200 and not FocusIssue.objects.exists()


def test_s5_users_without_a_community_cannot_open_the_form(client_for, package, outsiders, personas):
    assert client_for(outsiders[Role.AGENCY_WORKER]).get(reverse("delivery:focus-issue-create")).status_code == 403
    assert client_for(personas[Role.EVALUATOR]).get(reverse("delivery:focus-issue-create")).status_code == 403


def test_s5_move_form_resolves_with_a_timeline(client_for, issues, officer, town_officer):
    issue = issues["own"]
    client = client_for(town_officer)
    url = reverse("delivery:focus-issue-move", args=[issue.pk])
    client.post(url, {"to_status": "in_progress", "note": "社工入户"})
    response = client.post(url, {"to_status": "resolved", "resolution": "", "resolved_on": ""})
    assert response.status_code == 400
    html = response.content.decode()
    assert "请填写解决情况" in html and "请填写解决日期" in html
    today = timezone.localdate().isoformat()
    client.post(url, {"to_status": "resolved", "resolution": "清理完毕", "resolved_on": today})
    issue.refresh_from_db()
    assert issue.status == Status.RESOLVED and issue.resolution == "清理完毕"
    html = client.get(issue.get_absolute_url()).content.decode()
    assert html.count('data-to="') == 3 and "社工入户" in html and str(town_officer) in html
    assert 'data-testid="move-form"' not in html  # resolved is final


def test_s5_outsider_cannot_move_through_the_page(client_for, issues, outsiders):
    url = reverse("delivery:focus-issue-move", args=[issues["own"].pk])
    response = client_for(outsiders[Role.TOWN_OFFICER]).post(url, {"to_status": "in_progress"})
    assert response.status_code == 404
    issues["own"].refresh_from_db()
    assert issues["own"].status == Status.REPORTED


def _resolve(issue, actor):
    focus_issue_move(actor=actor, issue=issue, to_status=Status.IN_PROGRESS)
    return focus_issue_move(
        actor=actor, issue=issue, to_status=Status.RESOLVED, resolution="已解决", resolved_on=timezone.localdate()
    )


@pytest.mark.parametrize(
    ("who", "role", "status"),
    [
        ("personas", Role.TOWN_OFFICER, 200),
        ("personas", Role.DISTRICT_OFFICER, 200),
        ("personas", Role.BUREAU_ADMIN, 200),
        ("personas", Role.AGENCY_WORKER, 404),
        ("outsiders", Role.TOWN_OFFICER, 404),
        ("outsiders", Role.DISTRICT_OFFICER, 404),
    ],
)
def test_s5_town_page_access(client_for, personas, outsiders, world, issues, who, role, status):
    user = (personas if who == "personas" else outsiders)[role]
    url = reverse("delivery:town-focus-issues", args=[world.town_a1.pk])
    assert client_for(user).get(url).status_code == status


def test_s5_town_and_package_pages_show_resolved_counts(
    client_for, issues, package, world, officer, worker, town_officer
):
    _resolve(issues["own"], officer)
    _resolve(issues["neighbour"], worker)
    year = timezone.localdate().year
    town_html = client_for(town_officer).get(reverse("delivery:town-focus-issues", args=[world.town_a1.pk]))
    html = town_html.content.decode()
    assert f"{year}年：2 件" in html
    assert f"{package.agency.organisation.name}：2 件" in html
    progress = client_for(worker).get(reverse("delivery:package-progress", args=[package.pk])).content.decode()
    assert progress.count(f"{year}年：2 件") == 2  # the agency's and the town's counts

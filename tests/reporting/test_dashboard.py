"""Dashboards (core.dashboard, reporting.dashboard): the bureau's home shows the city at a glance before the to-do
lists — R3's figures live, money by source, packages lagging (S4), reports overdue (S1), evaluations due, each a
number linking to its list, and charts inline as SVG; a district officer gets its district, a town officer its
town and its communities, an agency manager its packages. Constant query counts at two data sizes."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delivery.models import ServiceReport
from directory.models import Role
from procurement.models import Agency
from tests.delivery.reports.builders import approved_plan, make_report
from tests.factories import CommunityFactory, TownFactory
from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory

MAX_HOME_QUERIES = 60


@pytest.fixture
def round_(edition):
    return RoundFactory(edition=edition)


def _package(town, organisation, round_, world, manager):
    """A package in service with an approved plan whose items have no output (all lagging, S4) and no report
    filed for its first month (overdue, S1, once its due date passed)."""
    agency = Agency.objects.filter(organisation=organisation).first() or AgencyFactory(organisation=organisation)
    package = PackageFactory(town=town, agency=agency, round=round_)
    approved_plan(package, world)
    return package


@pytest.fixture
def side_a(world, round_, manager):
    return _package(world.town_a1, world.agency, round_, world, manager)


def _figures(response) -> dict:
    return {f.key: f for g in response.context["figure_groups"] for f in g.figures}


def _home(client, user):
    client.force_login(user)
    response = client.get(reverse("directory:home"))
    assert response.status_code == 200
    return response


def test_bureau_home_shows_the_city_before_the_todo_lists(client, bureau, side_a):
    response = _home(client, bureau)
    html = response.content.decode()
    assert 'data-testid="dashboard" data-area="city"' in html
    assert html.index('data-testid="dashboard"') < html.index("需要您关注")
    figures = _figures(response)
    for key in ("agencies", "social_workers", "packages", "towns_covered", "lagging", "overdue", "evaluations_due"):
        assert key in figures, key
    assert figures["packages"].value == 1
    assert figures["lagging"].value == 1  # nothing delivered yet, 100 days in
    assert figures["lagging"].url == reverse("reporting:dashboard-packages") + "?show=lagging"
    assert figures["overdue"].value == 1
    # Charts are inline SVG drawn on the server: no script (the CSP allows none), Chinese titles.
    assert html.count('<figure class="chart"') >= 3
    assert "<svg" in html and "<script" not in html.split("<main", 1)[1].split("</main>", 1)[0]
    assert "社工机构与社会工作者历年变化" in html
    assert reverse("reporting:city-annual") in html


def test_lagging_and_overdue_lists_behind_the_figures(client, bureau, side_a, outsiders, personas):
    client.force_login(bureau)
    for show in ("lagging", "overdue", "active"):
        response = client.get(reverse("reporting:dashboard-packages"), {"show": show})
        assert response.status_code == 200
        assert side_a.title in response.content.decode(), show
    # The outsider town officer's list is of its own town: empty.
    client.force_login(outsiders[Role.TOWN_OFFICER])
    response = client.get(reverse("reporting:dashboard-packages"), {"show": "lagging"})
    assert response.status_code == 200 and side_a.title not in response.content.decode()
    # Roles without a dashboard have no list either.
    for role in (Role.COMMUNITY_OFFICER, Role.EVALUATOR, Role.AGENCY_WORKER):
        client.force_login(personas[role])
        assert client.get(reverse("reporting:dashboard-packages")).status_code == 404, role


def test_a_package_on_track_is_not_lagging(client, bureau, side_a, manager):
    items = {i.pk: i for i in side_a.plan.items.select_related("item")}
    start = side_a.starts_on
    values = {
        i: {"sessions": i.annual_target, "attendances": i.annual_target, "households": i.annual_target}
        for i in items.values()
        if i.year == 1 and i.counts
    }
    make_report(side_a, start.year, start.month, manager, status=ServiceReport.Status.CONFIRMED, values=values)
    assert _figures(_home(client, bureau))["lagging"].value == 0


def test_district_town_and_agency_see_their_own(client, personas, outsiders, side_a):
    officer = _home(client, personas[Role.DISTRICT_OFFICER])
    assert officer.context["area"].kind == "district"
    assert _figures(officer)["packages"].value == 1
    town = _home(client, personas[Role.TOWN_OFFICER])
    assert town.context["area"].kind == "town"
    assert _figures(town)["packages"].value == 1
    # The town's communities: coverage and progress per community.
    assert _figures(town)["covered"].value == 4
    assert any(c.key == "places" for g in town.context["figure_groups"] for c in g.charts)
    agency = _home(client, personas[Role.AGENCY_MANAGER])
    assert agency.context["area"].kind == "agency"
    assert _figures(agency)["lagging"].value == 1
    for role in (Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.AGENCY_MANAGER):
        figures = _figures(_home(client, outsiders[role]))
        assert figures["packages"].value == 0, role
        assert figures["lagging"].value == 0, role


def test_roles_without_a_dashboard_keep_their_todo_list(client, personas, side_a):
    for role in (Role.COMMUNITY_OFFICER, Role.EVALUATOR, Role.AGENCY_WORKER, Role.EXPERT):
        response = _home(client, personas[role])
        assert response.context["figure_groups"] == [], role
        assert 'data-testid="dashboard"' not in response.content.decode()


def test_empty_todo_sections_collapse_into_one_line(client, bureau, side_a):
    response = _home(client, bureau)
    html = response.content.decode()
    empty = response.context["empty_sections"]
    assert empty, "the bureau has sections with nothing to do in this world"
    assert 'data-testid="empty-sections"' in html
    assert html.count('<article class="attention">') == len(response.context["sections"])
    for section in empty:
        assert section.title in html.split('data-testid="empty-sections"', 1)[1]


@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.DISTRICT_OFFICER, Role.TOWN_OFFICER, Role.AGENCY_MANAGER])
def test_dashboard_query_count_is_constant(client, django_assert_max_num_queries, personas, world, round_, role):
    user = personas[role]
    client.force_login(user)
    _package(world.town_a1, world.agency, round_, world, user)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("directory:home"))
    for _i in range(4):
        town = TownFactory(district=world.district_a)
        package = _package(town, world.agency, round_, world, user)
        make_report(package, package.starts_on.year, package.starts_on.month, user)
        CommunityFactory(town=world.town_a1)  # the town officer's town grows too
    with django_assert_max_num_queries(len(small)):
        response = client.get(reverse("directory:home"))
    assert response.status_code == 200
    assert _figures(response)["packages"].value == (1 if role == Role.TOWN_OFFICER else 5)
    with django_assert_max_num_queries(MAX_HOME_QUERIES):
        client.get(reverse("directory:home"))

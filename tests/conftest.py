"""Test-wide settings and the persona set (STYLE.md): one user of every role, and an outsider of another
district/town/community/agency/firm for every role whose scope is not the whole city."""

from dataclasses import dataclass

import pytest

from core.actors import SYSTEM
from directory.models import Organisation, Role
from tests.factories import (
    CommunityFactory,
    DistrictFactory,
    MembershipFactory,
    OrganisationFactory,
    TownFactory,
    UserFactory,
)
from tests.procurement.factories import RoundFactory, qualified_agency, team

# Roles whose scope is part of the city: each gets an outsider.
SCOPED_ROLES = [
    Role.DISTRICT_OFFICER,
    Role.TOWN_OFFICER,
    Role.COMMUNITY_OFFICER,
    Role.AGENCY_MANAGER,
    Role.AGENCY_WORKER,
    Role.EVALUATOR,
    Role.EXPERT,
]


# Tests that must not run beside other tests on this 2-core machine: a browser test drives Chromium against a
# live server; a redis test starts a real Celery worker that would take any task on the shared queue; a loadtest
# test starts gunicorn and loads it.
SERIAL_MARKERS = ("browser", "redis", "loadtest")


def pytest_addoption(parser):
    parser.addoption(
        "--tier",
        choices=("all", "parallel", "serial"),
        default="all",
        help="parallel: only tests without a browser/redis mark (make test runs them on xdist workers); "
        "serial: only those with one (make test runs them after, in one process); all (default): every test.",
    )


def pytest_collection_modifyitems(config, items):
    tier = config.getoption("--tier")
    if tier == "all":
        return
    keep, drop = [], []
    for item in items:
        serial = any(item.get_closest_marker(name) for name in SERIAL_MARKERS)
        (keep if serial == (tier == "serial") else drop).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


@pytest.fixture(autouse=True)
def _test_settings(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    settings.CELERY_TASK_ALWAYS_EAGER = True
    settings.LANGUAGE_CODE = "zh-hans"


@pytest.fixture(autouse=True)
def _fresh_city_figures():
    """The cached city figures (reporting/caching.py) are forgotten before each test: a test's rows are rolled
    back without a signal, and the next test must not read figures made of them."""
    from reporting.caching import _bump

    _bump()


@dataclass
class World:
    """Two districts; district A has towns A1 and A2, district B has town B1. Each side has its own
    offices, committees, agencies, firms and experts."""

    district_a: object
    district_b: object
    town_a1: object
    town_a2: object
    town_b1: object
    communities_a1: list
    community_b1: object
    city_bureau: Organisation
    district_bureau_a: Organisation
    district_bureau_b: Organisation
    town_office_a1: Organisation
    town_office_b1: Organisation
    committee_a1: Organisation
    committee_b1: Organisation
    agency: Organisation
    other_agency: Organisation
    firm: Organisation
    other_firm: Organisation
    foundation: Organisation


@pytest.fixture
def world(db) -> World:
    district_a = DistrictFactory(name="姑苏区", code="320508")
    district_b = DistrictFactory(name="吴江区", code="320509")
    town_a1 = TownFactory(district=district_a, name="双塔街道")
    town_a2 = TownFactory(district=district_a, name="平江街道")
    town_b1 = TownFactory(district=district_b, name="松陵街道")
    communities_a1 = [CommunityFactory(town=town_a1) for _ in range(4)]
    community_b1 = CommunityFactory(town=town_b1)
    o = Organisation.Kind
    return World(
        district_a=district_a,
        district_b=district_b,
        town_a1=town_a1,
        town_a2=town_a2,
        town_b1=town_b1,
        communities_a1=communities_a1,
        community_b1=community_b1,
        city_bureau=OrganisationFactory(kind=o.BUREAU, name="苏州市民政局"),
        district_bureau_a=OrganisationFactory(kind=o.BUREAU, name="姑苏区民政局", district=district_a),
        district_bureau_b=OrganisationFactory(kind=o.BUREAU, name="吴江区民政局", district=district_b),
        town_office_a1=OrganisationFactory(kind=o.TOWN_OFFICE, name="双塔街道办事处", town=town_a1, uscc=None),
        town_office_b1=OrganisationFactory(kind=o.TOWN_OFFICE, name="松陵街道办事处", town=town_b1, uscc=None),
        committee_a1=OrganisationFactory(
            kind=o.COMMUNITY_COMMITTEE, name="A1居委会", community=communities_a1[0], town=town_a1, uscc=None
        ),
        committee_b1=OrganisationFactory(
            kind=o.COMMUNITY_COMMITTEE, name="B1居委会", community=community_b1, town=town_b1, uscc=None
        ),
        agency=OrganisationFactory(kind=o.AGENCY, name="乐仁社工服务社"),
        other_agency=OrganisationFactory(kind=o.AGENCY, name="和光社工服务中心"),
        firm=OrganisationFactory(kind=o.EVALUATION_FIRM, name="公益评估研究中心"),
        other_firm=OrganisationFactory(kind=o.EVALUATION_FIRM, name="另一评估机构"),
        foundation=OrganisationFactory(kind=o.FOUNDATION, name="姑苏区社区发展基金会", district=district_a),
    )


def _member(role: str, organisation: Organisation, username: str, **user_fields):
    user = UserFactory(username=username, is_staff=role == Role.BUREAU_ADMIN, **user_fields)
    MembershipFactory(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def personas(world) -> dict:
    """One user of every role, all on side A (town A1, community A1, the agency, the firm)."""
    home = {
        Role.BUREAU_ADMIN: world.city_bureau,
        Role.DISTRICT_OFFICER: world.district_bureau_a,
        Role.TOWN_OFFICER: world.town_office_a1,
        Role.COMMUNITY_OFFICER: world.committee_a1,
        Role.AGENCY_MANAGER: world.agency,
        Role.AGENCY_WORKER: world.agency,
        Role.EVALUATOR: world.firm,
        Role.EXPERT: world.city_bureau,
        Role.AUDITOR: world.city_bureau,
        Role.FUND_MANAGER: world.foundation,
    }
    return {role: _member(role, org, f"p_{role}") for role, org in home.items()}


@pytest.fixture
def outsiders(world) -> dict:
    """For every scoped role, a user of the same role on side B (another district/town/agency/firm)."""
    away = {
        Role.DISTRICT_OFFICER: world.district_bureau_b,
        Role.TOWN_OFFICER: world.town_office_b1,
        Role.COMMUNITY_OFFICER: world.committee_b1,
        Role.AGENCY_MANAGER: world.other_agency,
        Role.AGENCY_WORKER: world.other_agency,
        Role.EVALUATOR: world.other_firm,
        Role.EXPERT: world.district_bureau_b,
    }
    return {role: _member(role, org, f"o_{role}") for role, org in away.items()}


@pytest.fixture
def no_role_user(db):
    return UserFactory(username="nobody")


@pytest.fixture
def bureau_admin(personas):
    return personas[Role.BUREAU_ADMIN]


# Short names for the personas the app tests use most.
@pytest.fixture
def bureau(personas):
    return personas[Role.BUREAU_ADMIN]


@pytest.fixture
def manager(personas):
    return personas[Role.AGENCY_MANAGER]


@pytest.fixture
def worker(personas):
    return personas[Role.AGENCY_WORKER]


@pytest.fixture
def town_officer(personas):
    return personas[Role.TOWN_OFFICER]


@pytest.fixture
def evaluator(personas):
    return personas[Role.EVALUATOR]


@pytest.fixture
def expert_user(personas):
    return personas[Role.EXPERT]


@pytest.fixture
def other_manager(outsiders):
    return outsiders[Role.AGENCY_MANAGER]


def _load_reference_data() -> dict:
    """The shipped catalogue editions (2016 pilot, 2018 new round), code → edition; loads only what is missing."""
    from catalog.services import load_shipped_editions

    return {edition.code: edition for edition, _created in load_shipped_editions(actor=SYSTEM)}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database (one per xdist worker), plus the reference rows, loaded once.

    Every test starts from them; each test's transaction is rolled back, so they stay as loaded. A
    transactional test (transactional_db, live_server) flushes the tables when it ends; pytest-django runs
    those after all the others, and fixtures that need the rows (edition_2018) load them again if missing.
    """
    with django_db_blocker.unblock():
        _load_reference_data()


@pytest.fixture
def edition_2018(db):
    # Two queries when django_db_setup's rows are there; a full load only after a transactional flush.
    return _load_reference_data()["2018-new-round"]


@pytest.fixture
def client_for(client):
    """Log a user in on the shared test client: client_for(user) → client."""

    def login(user):
        client.force_login(user)
        return client

    return login


# Procurement rows the procurement, delivery and evaluation tests share.
@pytest.fixture
def round_2018(edition_2018):
    return RoundFactory()


@pytest.fixture
def agency(world):
    """The personas' agency (world.agency), qualified under Q1."""
    return qualified_agency(organisation=world.agency)


@pytest.fixture
def other_agency(world):
    return qualified_agency(organisation=world.other_agency)


@pytest.fixture
def agency_team(agency):
    """9 full-time staff, 5 certified: passes Q2/Q3 of the 2018 round."""
    return team(agency, full_time=9, certified=5)


@pytest.fixture
def package(world, agency, round_2018):
    """Town A1's package (4 communities), run by the personas' agency under the 2018 round; today falls in it.
    The one package fixture: tests that need other dates or places override it in their own conftest."""
    from tests.procurement.factories import PackageFactory

    return PackageFactory(town=world.town_a1, agency=agency, round=round_2018)


@pytest.fixture
def api_schema(db, settings):
    """The OpenAPI document loaded from the app itself, for schemathesis (tests/test_schemathesis.py,
    tests/test_api_conformance.py). Calling the WSGI app directly fires request_started/finished, whose
    close_old_connections would close the test's database connection mid-transaction (on PostgreSQL every later
    test then fails with "the connection is closed"); Django's own test client unhooks it the same way."""
    import schemathesis
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    from suzhou_sw.wsgi import application

    settings.ALLOWED_HOSTS = ["*"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/schema/?format=json", application)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)

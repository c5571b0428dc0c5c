"""Evaluation fixtures on top of the persona world (tests/conftest.py): town A1's active package run by the
personas' agency, a second evaluator of the personas' firm, and builders for rounds and evaluations."""

import datetime

import pytest

from catalog.models import CatalogueEdition
from directory.models import Role
from evaluation import services
from evaluation.models import Evaluation
from tests.factories import MembershipFactory, UserFactory
from tests.procurement.factories import AgencyFactory, PackageFactory, RoundFactory

from .helpers import filled_round

START = datetime.date(2025, 1, 1)
END = datetime.date(2026, 12, 31)


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    root = tmp_path / "private_media"
    settings.PRIVATE_MEDIA_ROOT = root
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def edition(db):
    edition, _created = CatalogueEdition.objects.get_or_create(
        code="2018-new-round", defaults={"name_zh": "2018年新一轮", "name_en": "2018 new round", "year": 2018}
    )
    return edition


@pytest.fixture
def package(world, edition):
    """Town A1's active package, run by the personas' agency; today falls inside it."""
    agency = AgencyFactory(organisation=world.agency)
    return PackageFactory(town=world.town_a1, agency=agency, round=RoundFactory(edition=edition))


@pytest.fixture
def other_package(world, edition):
    """Town B1's package, run by the other agency."""
    agency = AgencyFactory(organisation=world.other_agency)
    return PackageFactory(town=world.town_b1, agency=agency, round=RoundFactory(edition=edition))


@pytest.fixture
def evaluator2(world):
    user = UserFactory(username="p_evaluator_2", full_name="第二评估员")
    MembershipFactory(user=user, organisation=world.firm, role=Role.EVALUATOR)
    return user


@pytest.fixture
def evaluator3(world):
    user = UserFactory(username="p_evaluator_3", full_name="第三评估员")
    MembershipFactory(user=user, organisation=world.firm, role=Role.EVALUATOR)
    return user


@pytest.fixture
def raters(world, personas) -> dict:
    """Rater organisation id → the persona who fills its sheet."""
    return {
        world.town_office_a1.pk: personas[Role.TOWN_OFFICER],
        world.committee_a1.pk: personas[Role.COMMUNITY_OFFICER],
        world.agency.pk: personas[Role.AGENCY_MANAGER],
    }


@pytest.fixture
def closed_round(bureau, package, raters):
    """This half-year's round, every sheet submitted at 75%, closed."""
    return filled_round(bureau, package, raters)


@pytest.fixture
def evaluation(bureau, package, world, evaluator, evaluator2) -> Evaluation:
    """The package's mid-term evaluation, assigned to the evaluator persona and a colleague of the firm."""
    return services.evaluation_assign(
        actor=bureau,
        package=package,
        stage=Evaluation.Stage.MID_TERM,
        firm=world.firm,
        evaluator_ids=[evaluator.pk, evaluator2.pk],
    )

"""Focus-issue fixtures: the personas' agency runs town A1's active package; community A1 is the community
officer's; side B has its own town, community, officers and agency."""

import pytest

from directory.models import Role
from tests.procurement.factories import PackageFactory


@pytest.fixture
def package(world, agency, round_2018):
    return PackageFactory(town=world.town_a1, agency=agency, round=round_2018)


@pytest.fixture
def community(world):
    """The community officer persona's own community."""
    return world.communities_a1[0]


@pytest.fixture
def officer(personas):
    return personas[Role.COMMUNITY_OFFICER]

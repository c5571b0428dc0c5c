"""Focus-issue fixtures: the personas' agency runs town A1's active package; community A1 is the community
officer's; side B has its own town, community, officers and agency."""

import pytest

from directory.models import Role


@pytest.fixture
def community(world):
    """The community officer persona's own community."""
    return world.communities_a1[0]


@pytest.fixture
def officer(personas):
    return personas[Role.COMMUNITY_OFFICER]

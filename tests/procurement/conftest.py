"""Procurement fixtures on top of the persona world (tests/conftest.py)."""

import pytest

from tests.procurement.factories import RoundFactory, qualified_agency, team


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

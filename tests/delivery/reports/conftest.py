"""Report fixtures: town A1's package run by the personas' agency from 2025-01-01 to 2026-12-31, with an
approved plan; files go to a temporary private media root."""

import pytest

from tests.procurement.factories import PackageFactory

from .builders import END, START, approved_plan


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path):
    root = tmp_path / "private_media"
    settings.PRIVATE_MEDIA_ROOT = root
    settings.MEDIA_ROOT = root
    return root


@pytest.fixture
def package(world, agency, round_2018):
    return PackageFactory(town=world.town_a1, agency=agency, round=round_2018, starts_on=START, ends_on=END)


@pytest.fixture
def items(package, world):
    return approved_plan(package, world)

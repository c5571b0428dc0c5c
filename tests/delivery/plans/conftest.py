"""Plan fixtures: the personas' agency runs town A1's package (4 communities) under the 2018 round."""

import pytest

from catalog.models import ServiceItem
from delivery.models import PlanItem, ServicePlan

# Community-level sub-items of the 2018 catalogue, one per category, and two town-level ones.
BASIC, RESEARCH, EMPOWER, GOVERN = "JC-01", "XQ-01", "ZZ-01", "JD-01"
TOWN_BASIC, TOWN_EMPOWER = "JC-35", "ZZ-05"


@pytest.fixture
def catalogue(edition_2018) -> dict[str, ServiceItem]:
    return {i.code: i for i in ServiceItem.objects.filter(edition=edition_2018).select_related("category")}


@pytest.fixture
def communities(world):
    return list(world.town_a1.communities.order_by("code"))


@pytest.fixture
def plan(package):
    return ServicePlan.objects.create(package=package)


def place(plan, item, community=None, year=1, target=10, **fields) -> PlanItem:
    return PlanItem.objects.create(plan=plan, item=item, community=community, year=year, annual_target=target, **fields)


def fill_covering_plan(plan, catalogue, communities) -> list[PlanItem]:
    """Items that satisfy P4–P6: in every community a basic, a needs-research (year 1), an empowerment and a
    governance item (half of community-level items are empowerment/governance), plus two town-level items."""
    items = []
    for c in communities:
        for code in (BASIC, RESEARCH, EMPOWER, GOVERN):
            items.append(place(plan, catalogue[code], c))
    items.append(place(plan, catalogue[TOWN_BASIC], None, target=12))
    items.append(place(plan, catalogue[TOWN_EMPOWER], None, target=4))
    return items


@pytest.fixture
def covering_plan(plan, catalogue, communities):
    fill_covering_plan(plan, catalogue, communities)
    return plan

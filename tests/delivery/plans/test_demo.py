"""The demo seeder writes an approved plan that satisfies P4–P6, with venues (P8), and is safe to run twice."""

import pytest

from core.demo import DemoContext
from delivery.coverage import coverage_check
from delivery.demo import seed_plan
from delivery.models import PlanVersion, ServicePlan, Venue
from directory.models import Role

pytestmark = pytest.mark.django_db


@pytest.fixture
def ctx(world, personas):
    return DemoContext(
        district=world.district_a,
        town=world.town_a1,
        organisations={"committee": world.committee_a1},
        users={
            "agency": personas[Role.AGENCY_MANAGER],
            "town": personas[Role.TOWN_OFFICER],
            "bureau": personas[Role.BUREAU_ADMIN],
            "community": personas[Role.COMMUNITY_OFFICER],
        },
    )


def test_seed_plan_skips_without_an_active_package(ctx):
    seed_plan(ctx)
    assert not ServicePlan.objects.exists()
    assert "skipped" in ctx.lines[-1]


def test_seed_plan_writes_an_approved_covering_plan_once(ctx, package):
    seed_plan(ctx)
    seed_plan(ctx)
    plan = ServicePlan.objects.get(package=package)
    assert plan.status == ServicePlan.Status.APPROVED and plan.version == 1
    assert PlanVersion.objects.filter(plan=plan).count() == 1
    assert coverage_check(plan).ok
    assert plan.items.filter(community__isnull=True).exists()
    venues = Venue.objects.filter(package=package)
    assert venues.count() == 3
    assert venues.filter(community__isnull=True).count() == 1
    assert venues.filter(community=ctx.organisations["committee"].community).exists()

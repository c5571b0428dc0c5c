"""K4: a running package's approved plan covers its communities (P4–P6, the plan editor's coverage_check); a
package still without an approved plan two months after its start is the finding of whoever holds the plan."""

import pytest
from django.utils import timezone

from catalog.models import ServiceItem
from delivery.models import PlanItem, ServicePlan
from tests.delivery.plans.conftest import BASIC, fill_covering_plan

from .conftest import closed, run

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(edition_2018):
    return {i.code: i for i in ServiceItem.objects.filter(edition=edition_2018).select_related("category")}


@pytest.fixture
def communities(world):
    return list(world.town_a1.communities.order_by("code"))


def _approved(package):
    return ServicePlan.objects.create(
        package=package, status=ServicePlan.Status.APPROVED, version=1, approved_at=timezone.now()
    )


def test_k4_plan_missing_a_community_gets_a_finding_a_covering_one_none(world, package, catalogue, communities):
    plan = _approved(package)
    items = fill_covering_plan(plan, catalogue, communities)
    assert run("K4") == {}
    gap = next(i for i in items if i.item.code == BASIC and i.community == communities[0])
    gap.delete()
    finding = run("K4")[f"package:{package.pk}"]
    assert "P4" in finding.message and communities[0].name in finding.message
    assert finding.details["rules"] == ["P4"] and finding.severity == "critical"
    assert finding.organisation_id == world.agency.pk
    assert finding.url == f"/delivery/packages/{package.pk}/plan/coverage/"
    PlanItem.objects.create(plan=plan, item=catalogue[BASIC], community=communities[0], year=1, annual_target=10)
    assert run("K4") == {}
    assert closed("K4", f"package:{package.pk}")


def test_k4_package_without_an_approved_plan_after_two_months(world, package, catalogue, communities):
    # The package fixture started 100 days ago.
    key = f"package:{package.pk}:plan"
    finding = run("K4")[key]
    assert finding.organisation_id == world.agency.pk and "尚未编制" in finding.message
    plan = ServicePlan.objects.create(package=package, status=ServicePlan.Status.SUBMITTED)
    assert run("K4")[key].organisation_id == world.town_office_a1.pk
    plan.status = ServicePlan.Status.TOWN_REVIEWED
    plan.save()
    assert run("K4")[key].organisation_id == world.city_bureau.pk
    fill_covering_plan(plan, catalogue, communities)
    plan.status = ServicePlan.Status.APPROVED
    plan.approved_at = timezone.now()
    plan.save()
    assert run("K4") == {}
    assert closed("K4", key)


def test_k4_grace_period_for_a_new_package(package, settings):
    settings.COMPLIANCE_PLAN_GRACE_DAYS = 120
    assert run("K4") == {}

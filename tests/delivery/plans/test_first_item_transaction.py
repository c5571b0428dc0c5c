"""Regressions found in review: starting the plan and adding its first item are one transaction, so a refused
first item (on the page or through the API) leaves no empty plan behind to be submitted."""

import pytest
from django.urls import reverse

from delivery.models import ServicePlan
from directory.models import Role

from .conftest import TOWN_BASIC

pytestmark = pytest.mark.django_db


def test_p3_refused_first_item_on_the_page_leaves_no_plan(client, personas, package, catalogue, communities):
    client.force_login(personas[Role.AGENCY_MANAGER])
    add = {"item": catalogue[TOWN_BASIC].pk, "community": communities[0].pk, "year": 1, "annual_target": 5}
    response = client.post(reverse("delivery:plan-item-add", args=[package.pk]), add)
    assert response.status_code == 200 and "只能放在街镇层面" in response.content.decode()
    assert not ServicePlan.objects.filter(package=package).exists()
    assert client.get(reverse("delivery:plan-detail", args=[package.pk])).context["can_submit"] is False


def test_p3_refused_first_item_through_the_api_leaves_no_plan(client, personas, package, catalogue, communities):
    client.force_login(personas[Role.AGENCY_MANAGER])
    add = {"item": catalogue[TOWN_BASIC].pk, "community": communities[0].pk, "year": 1, "annual_target": 5}
    response = client.post(
        reverse("api-v1:delivery-plan-item-add", args=[package.pk]), add, content_type="application/json"
    )
    assert response.status_code == 400 and "community" in response.json()
    filed = {"name": "睦邻茶话会", "category_kind": "basic", "unit": "session", "justification": "j", "year": 9}
    response = client.post(
        reverse("api-v1:delivery-plan-item-file", args=[package.pk]),
        {**filed, "annual_target": 5},
        content_type="application/json",
    )
    assert response.status_code == 400 and "year" in response.json()
    assert not ServicePlan.objects.filter(package=package).exists()

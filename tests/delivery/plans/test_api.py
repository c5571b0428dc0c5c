"""The plan API calls the same services as the pages: 400 with field errors, 403, 404 for outsiders."""

import pytest
from django.urls import reverse

from delivery.models import PlanItem, ServicePlan
from directory.models import Role

from .conftest import BASIC, RESEARCH, TOWN_BASIC, fill_covering_plan, place

pytestmark = pytest.mark.django_db


def api(name, package, *args):
    return reverse(f"api-v1:delivery-{name}", args=[package.pk, *args])


def test_agency_builds_the_plan_through_the_api(client, personas, package, catalogue, communities):
    client.force_login(personas[Role.AGENCY_WORKER])
    response = client.post(
        api("plan-item-add", package),
        {"item": catalogue[BASIC].pk, "community": communities[0].pk, "year": 1, "annual_target": 12},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json()["category_kind"] == "basic" and response.json()["counts"] is True
    item_id = response.json()["id"]
    response = client.patch(
        api("plan-item-update", package, item_id),
        {"community": communities[1].pk, "year": 2, "annual_target": 15},
        content_type="application/json",
    )
    assert response.status_code == 200 and response.json()["community"] == communities[1].pk
    detail = client.get(api("plan-detail", package)).json()
    assert detail["status"] == "draft" and len(detail["items"]) == 1
    assert detail["coverage_ok"] is False and any(
        "基础服务类项目须覆盖每个社区" in p for p in detail["coverage_problems"]
    )
    assert client.post(api("plan-item-remove", package, item_id)).status_code == 204
    assert not PlanItem.objects.exists()


def test_api_errors_are_400_with_fields(client, personas, package, catalogue, communities, world):
    client.force_login(personas[Role.AGENCY_MANAGER])
    cases = [
        (
            {"item": catalogue[TOWN_BASIC].pk, "community": communities[0].pk, "year": 1, "annual_target": 1},
            "community",
        ),
        ({"item": catalogue[BASIC].pk, "community": world.community_b1.pk, "year": 1, "annual_target": 1}, "community"),
        ({"item": catalogue[BASIC].pk, "community": communities[0].pk, "year": 7, "annual_target": 1}, "year"),
        ({"item": catalogue[BASIC].pk, "community": communities[0].pk, "year": 1, "annual_target": 0}, "annual_target"),
        ({"item": 999999, "year": 1, "annual_target": 1}, "item"),
        ({"item": "x"}, "item"),
    ]
    for data, field in cases:
        response = client.post(api("plan-item-add", package), data, content_type="application/json")
        assert response.status_code == 400, data
        assert field in response.json(), (data, response.json())


def test_api_filed_item_and_submit_refused_with_coverage_problems(client, personas, package, communities):
    client.force_login(personas[Role.AGENCY_MANAGER])
    response = client.post(
        api("plan-item-file", package),
        {
            "name": "智能手环",
            "category_kind": "basic",
            "unit": "household",
            "justification": "目录没有。",
            "community": communities[0].pk,
            "year": 1,
            "annual_target": 5,
        },
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["filed_status"] == "pending"
    response = client.post(api("plan-submit", package))
    assert response.status_code == 400
    assert any("基础服务类项目须覆盖每个社区" in p for p in response.json()["non_field_errors"])


def test_api_workflow_and_refusals(client, personas, outsiders, plan, package, catalogue, communities):
    fill_covering_plan(plan, catalogue, communities)
    client.force_login(outsiders[Role.AGENCY_MANAGER])
    assert client.get(api("plan-detail", package)).status_code == 404
    assert client.post(api("plan-submit", package)).status_code == 404
    client.force_login(personas[Role.AGENCY_WORKER])
    assert client.post(api("plan-submit", package)).status_code == 403
    client.force_login(personas[Role.AGENCY_MANAGER])
    assert client.post(api("plan-submit", package)).json()["status"] == "submitted"
    client.force_login(outsiders[Role.TOWN_OFFICER])
    assert client.post(api("plan-town-review", package), {"approve": True}).status_code == 404
    client.force_login(personas[Role.TOWN_OFFICER])
    response = client.post(api("plan-town-review", package), {"approve": False}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(api("plan-town-review", package), {"approve": True}, content_type="application/json")
    assert response.json()["status"] == "town_reviewed"
    client.force_login(personas[Role.BUREAU_ADMIN])
    assert client.post(api("plan-approve", package)).json() == {
        "status": "approved",
        "version": 1,
        "returned_reason": "",
        "amendment_reason": "",
    }
    client.force_login(personas[Role.AGENCY_MANAGER])
    response = client.post(api("plan-amend", package), {"reason": ""}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    response = client.post(api("plan-amend", package), {"reason": "调整目标"}, content_type="application/json")
    assert response.json()["status"] == "draft" and response.json()["amendment_reason"] == "调整目标"


def test_api_coverage_matrix(client, personas, plan, package, catalogue, communities, django_assert_max_num_queries):
    place(plan, catalogue[BASIC], communities[0], target=7)
    place(plan, catalogue[RESEARCH], communities[0], target=3)
    client.force_login(personas[Role.TOWN_OFFICER])
    with django_assert_max_num_queries(12):
        data = client.get(api("plan-coverage", package)).json()
    assert data["ok"] is False
    first = data["rows"][0]
    assert first["community"] == communities[0].pk
    assert first["cells"]["basic"] == {"count": 1, "targets": {"household": 7}, "gap": False}
    assert data["rows"][1]["cells"]["basic"]["gap"] is True
    assert data["rows"][-1]["community"] is None


def test_api_plan_detail_uses_constant_queries(
    client, personas, plan, package, catalogue, communities, django_assert_max_num_queries
):
    fill_covering_plan(plan, catalogue, communities)
    client.force_login(personas[Role.BUREAU_ADMIN])
    with django_assert_max_num_queries(12):
        response = client.get(api("plan-detail", package))
    assert len(response.json()["items"]) == 18
    assert ServicePlan.objects.count() == 1

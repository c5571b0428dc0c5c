"""The reports API calls the same services as the pages: 404 for outsiders, 403 for refusals, 400 with
field errors for bad input."""

import pytest
from django.urls import reverse
from django.utils import timezone

from delivery.models import ServiceReport
from directory.models import Role

from .builders import make_report

pytestmark = pytest.mark.django_db
Status = ServiceReport.Status


def api(name, *args):
    return reverse(f"api-v1:delivery-{name}", args=args)


def test_s3_workflow_through_the_api(client_for, package, items, worker, town_officer):
    client = client_for(worker)
    response = client.post(api("report-list", package.pk), {"year": 2025, "month": 3}, content_type="application/json")
    assert response.status_code == 201
    report_id = response.json()["id"]
    assert {line["plan_item"] for line in response.json()["lines"]} == {
        items[k].pk for k in ("station", "activity", "visits", "rental")
    }
    response = client.patch(
        api("report-detail", report_id),
        {"summary": "小结", "lines": [{"plan_item": items["activity"].pk, "attendances": -1}]},
        content_type="application/json",
    )
    assert response.status_code == 400
    assert f"line-{items['activity'].pk}-attendances" in response.json()
    response = client.patch(
        api("report-detail", report_id),
        {"summary": "小结", "lines": [{"plan_item": items["activity"].pk, "attendances": 30}]},
        content_type="application/json",
    )
    assert response.status_code == 200
    assert client.post(api("report-submit", report_id)).json()["status"] == "submitted"
    assert client.post(api("report-confirm", report_id)).status_code == 403  # the agency cannot confirm

    town = client_for(town_officer)
    response = town.post(api("report-return", report_id), {"reason": ""}, content_type="application/json")
    assert response.status_code == 400 and "reason" in response.json()
    assert town.post(api("report-confirm", report_id)).json()["status"] == "confirmed"

    client = client_for(worker)
    response = client.patch(api("report-detail", report_id), {"summary": "改"}, content_type="application/json")
    assert response.status_code == 400 and "报告已确认" in response.json()["non_field_errors"][0]
    response = client.post(api("report-correct", report_id))
    assert response.status_code == 201 and response.json()["version"] == 2


def test_report_api_is_scoped(client_for, package, items, worker, outsiders):
    report = make_report(package, 2025, 3, worker, status=Status.SUBMITTED)
    for role in (Role.AGENCY_WORKER, Role.TOWN_OFFICER, Role.COMMUNITY_OFFICER):
        client = client_for(outsiders[role])
        assert client.get(api("report-list", package.pk)).status_code == 404
        assert client.get(api("report-detail", report.pk)).status_code == 404
        assert client.post(api("report-confirm", report.pk)).status_code == 404
    report.refresh_from_db()
    assert report.status == Status.SUBMITTED


def test_s4_progress_api(client_for, package, items, worker, town_officer):
    make_report(package, 2025, 1, worker, status=Status.CONFIRMED, values={items["station"]: {"sessions": 3}})
    response = client_for(town_officer).get(api("package-progress", package.pk), {"on": "2025-02-01"})
    body = response.json()
    station = next(i for i in body["items"] if i["plan_item"] == items["station"].pk)
    assert (station["output_to_date"], station["progress_pct"], station["lagging"]) == (3, "25.0", False)
    assert body["expected_pct"] == "8.8"
    bad = client_for(town_officer).get(api("package-progress", package.pk), {"on": "yesterday"})
    assert bad.status_code == 400


def test_s5_focus_issues_through_the_api(client_for, package, world, personas, outsiders):
    officer = personas[Role.COMMUNITY_OFFICER]
    client = client_for(officer)
    response = client.post(
        api("focus-issue-create"),
        {"community": world.communities_a1[0].pk, "kind": "sanitation", "title": "垃圾堆放", "description": "楼下"},
        content_type="application/json",
    )
    assert response.status_code == 201
    issue_id = response.json()["id"]
    response = client.post(
        api("focus-issue-move", issue_id), {"to_status": "resolved"}, content_type="application/json"
    )
    assert response.status_code == 400 and "to_status" in response.json()
    client.post(api("focus-issue-move", issue_id), {"to_status": "in_progress"}, content_type="application/json")
    response = client.post(
        api("focus-issue-move", issue_id),
        {"to_status": "resolved", "resolution": "已清运", "resolved_on": timezone.localdate().isoformat()},
        content_type="application/json",
    )
    assert response.json()["status"] == "resolved"
    assert [i["id"] for i in client.get(api("focus-issue-list")).json()["results"]] == [issue_id]
    outsider = client_for(outsiders[Role.TOWN_OFFICER])
    assert outsider.get(api("focus-issue-list")).json()["results"] == []
    response = outsider.post(
        api("focus-issue-create"),
        {"community": world.communities_a1[0].pk, "kind": "sanitation", "title": "x", "description": "y"},
        content_type="application/json",
    )
    assert response.status_code == 403

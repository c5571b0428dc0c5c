"""Regressions found in review: a report line whose plan item is not an id is a 400 with a field error (the
API used it as a dict key and answered 500); query counts of the report lists that had none pinned."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delivery.models import ReportLine

from .builders import make_report

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("plan_item", [[], {}, [1, 2], None, "abc", True])
def test_s2_api_line_with_a_plan_item_that_is_not_an_id_is_a_400(client_for, package, items, worker, plan_item):
    client = client_for(worker)
    created = client.post(
        reverse("api-v1:delivery-report-list", args=[package.pk]),
        {"year": 2025, "month": 3},
        content_type="application/json",
    )
    report_id = created.json()["id"]
    response = client.patch(
        reverse("api-v1:delivery-report-detail", args=[report_id]),
        {"summary": "小结", "lines": [{"plan_item": plan_item, "attendances": 30}]},
        content_type="application/json",
    )
    assert response.status_code == 400 and "lines" in response.json()
    assert not ReportLine.objects.filter(report_id=report_id, attendances=30).exists()


def test_s2_api_line_values_still_reach_the_service_as_sent(client_for, package, items, worker):
    client = client_for(worker)
    report_id = client.post(
        reverse("api-v1:delivery-report-list", args=[package.pk]),
        {"year": 2025, "month": 3},
        content_type="application/json",
    ).json()["id"]
    url = reverse("api-v1:delivery-report-detail", args=[report_id])
    line = {"plan_item": items["activity"].pk, "sessions": "4", "attendances": None, "volunteer_hours": "1.5"}
    response = client.patch(url, {"lines": [line]}, content_type="application/json")
    assert response.status_code == 200
    saved = ReportLine.objects.get(report_id=report_id, plan_item=items["activity"])
    assert (saved.sessions, saved.attendances, str(saved.volunteer_hours)) == (4, 0, "1.5")
    response = client.patch(url, {"lines": [{**line, "sessions": "很多"}]}, content_type="application/json")
    assert response.status_code == 400 and f"line-{items['activity'].pk}-sessions" in response.json()


def test_report_list_api_and_export_use_a_constant_number_of_queries(
    client_for, package, items, worker, django_assert_max_num_queries
):
    """Not pinned before: the API's report list and the xlsx export of a package's reports."""
    client = client_for(worker)
    api_url = reverse("api-v1:delivery-report-list", args=[package.pk])
    export_url = reverse("delivery:report-export", args=[package.pk])
    counts = []
    for rows in (2, 12):
        for i in range(package.reports.count(), rows):
            make_report(package, 2025, i + 1, worker, values={item: {"sessions": 1} for item in items.values()})
        with CaptureQueriesContext(connection) as api_queries, django_assert_max_num_queries(6):
            assert len(client.get(api_url).json()) == rows
        with CaptureQueriesContext(connection) as export_queries, django_assert_max_num_queries(8):
            assert client.get(export_url).status_code == 200
        counts.append((len(api_queries), len(export_queries)))
    assert counts[0] == counts[1]

"""The report API list's query shape (issue 14): the report's own columns and its round's due day (S1), with no
join to the town, district, agency, organisation or users the full selector brings along for the pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delivery.models import ServiceReport

from .builders import make_report

pytestmark = pytest.mark.django_db


def test_report_api_list_joins_only_package_and_round(client_for, package, items, worker, bureau):
    make_report(package, 2025, 3, worker, status=ServiceReport.Status.SUBMITTED)
    make_report(package, 2025, 4, worker)
    with CaptureQueriesContext(connection) as ctx:
        body = client_for(bureau).get(reverse("api-v1:delivery-report-list-all")).json()
    assert [(r["year"], r["month"]) for r in body["results"]] == [(2025, 4), (2025, 3)]
    assert body["results"][1]["due_on"] == f"2025-04-{package.round.report_due_day:02d}"
    page = next(
        q["sql"] for q in ctx.captured_queries if 'FROM "procurement_servicereport"' in q["sql"] and "LIMIT" in q["sql"]
    )
    for table in ("directory_town", "directory_district", "procurement_agency", "directory_organisation"):
        assert table not in page, table
    assert '"directory_user"' not in page

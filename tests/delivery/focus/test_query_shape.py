"""The focus-issue API list's query shape (issue 14): it reads the issue's own columns and its community's and
town's names — no join to the package, the agency, its organisation, the district or the reporter — and pages
in the order of an index, so a page need not sort every visible issue."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delivery.models import FocusIssue
from delivery.services.focus import focus_issue_report

pytestmark = pytest.mark.django_db


def test_focus_issue_api_list_joins_only_community_and_town(client_for, package, world, worker):
    for i in range(3):
        focus_issue_report(
            actor=worker, community=world.communities_a1[i], kind="other", title=f"问题{i}", description="d"
        )
    client = client_for(worker)
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("api-v1:delivery-focus-issue-list")).json()
    assert body["count"] == 3
    assert body["results"][0]["town"] == world.town_a1.name and body["results"][0]["community"]
    page = next(
        q["sql"] for q in ctx.captured_queries if 'FROM "procurement_focusissue"' in q["sql"] and "LIMIT" in q["sql"]
    )
    select_list = page.split(" FROM ", 1)[0]
    for table in ("directory_organisation", "procurement_agency", "directory_district", "directory_user"):
        assert table not in select_list, table
    assert '"procurement_servicepackage"."title"' not in select_list
    assert select_list.count(",") < 20  # 14 columns, was ~100


def test_focus_issues_have_an_index_in_list_order():
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, FocusIssue._meta.db_table)
    index = constraints["focus_issue_newest_first"]
    assert index["index"] and index["columns"] == ["reported_at", "id"]
    assert index["orders"] == ["DESC", "DESC"]

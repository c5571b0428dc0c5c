"""Query counts of the focus-issue lists that had none pinned: a town's page and the API's list (S5)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from delivery.models import FocusIssue
from delivery.services.focus import focus_issue_move, focus_issue_report

pytestmark = pytest.mark.django_db


def test_s5_town_page_and_api_list_use_a_constant_number_of_queries(
    client_for, package, world, worker, town_officer, django_assert_max_num_queries
):
    town_url = reverse("delivery:town-focus-issues", args=[world.town_a1.pk])
    api_url = reverse("api-v1:delivery-focus-issue-list")
    counts = []
    for rows in (2, 12):
        for i in range(FocusIssue.objects.count(), rows):
            issue = focus_issue_report(
                actor=worker, community=world.communities_a1[i % 4], kind="other", title=f"问题{i}", description="d"
            )
            focus_issue_move(actor=town_officer, issue=issue, to_status=FocusIssue.Status.IN_PROGRESS)
        client = client_for(town_officer)
        with CaptureQueriesContext(connection) as town_queries, django_assert_max_num_queries(10):
            assert len(client.get(town_url).context["issues"]) == rows
        client = client_for(worker)
        with CaptureQueriesContext(connection) as api_queries, django_assert_max_num_queries(6):
            assert client.get(api_url).json()["count"] == rows
        counts.append((len(town_queries), len(api_queries)))
    assert counts[0] == counts[1]

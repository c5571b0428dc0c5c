"""The catalogue API's small-items prefetch (issue 14): one query on the task table alone, in the items' own
order — ServiceTask's default ordering (item, then the item's ordering) used to add three joins to it."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from catalog.models import ServiceItem

pytestmark = pytest.mark.django_db


def test_catalogue_item_list_prefetches_small_items_without_joins(client_for, bureau, edition_2018):
    with CaptureQueriesContext(connection) as ctx:
        body = client_for(bureau).get(reverse("api-v1:catalog-item-list") + "?limit=50").json()
    assert body["results"][0]["small_items"]
    prefetch = [q["sql"] for q in ctx.captured_queries if 'FROM "catalog_servicetask"' in q["sql"]]
    assert len(prefetch) == 1
    assert "JOIN" not in prefetch[0]
    for row in body["results"]:
        item = ServiceItem.objects.get(pk=row["id"])
        assert row["small_items"] == [t.name_zh for t in item.tasks.order_by("order", "code")]

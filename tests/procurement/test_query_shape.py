"""The package list page's query shape (issue 14): the town, district and agency it shows, and no join to the
round or the catalogue edition, which it never reads."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from directory.models import Role
from tests.procurement.factories import PackageFactory, TenderFactory

pytestmark = pytest.mark.django_db


def test_package_list_page_joins_only_what_it_shows(client, personas, world, round_2018):
    PackageFactory(town=world.town_a1, round=round_2018)
    client.force_login(personas[Role.BUREAU_ADMIN])
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("procurement:package-list"))
    assert world.town_a1.name in response.content.decode()
    page = next(
        q["sql"]
        for q in ctx.captured_queries
        if 'FROM "procurement_servicepackage"' in q["sql"] and "LIMIT" in q["sql"]
    )
    count = next(q["sql"] for q in ctx.captured_queries if "COUNT(*)" in q["sql"] and "servicepackage" in q["sql"])
    assert "GROUP BY" not in count and "staffassignment" not in count  # the paginator's count is a plain count
    assert '"directory_district"' in page and '"directory_organisation"' in page
    assert '"procurement_round"' not in page and '"catalog_catalogueedition"' not in page


def test_tender_api_list_reads_only_the_columns_it_shows(client, personas, world, round_2018):
    tender = TenderFactory(town=world.town_a1, round=round_2018)
    client.force_login(personas[Role.BUREAU_ADMIN])
    with CaptureQueriesContext(connection) as ctx:
        body = client.get(reverse("api-v1:procurement-tender-list")).json()
    row = body["results"][0]
    assert (row["id"], row["town"], row["district"], row["round"]) == (
        tender.pk,
        world.town_a1.name,
        world.town_a1.district.name,
        round_2018.code,
    )
    assert row["weights"] == tender.weights and row["bid_count"] == 0
    page = next(
        q["sql"] for q in ctx.captured_queries if 'FROM "procurement_tender"' in q["sql"] and "LIMIT" in q["sql"]
    )
    for column in ('"procurement_tender"."description"', '"procurement_round"."name_zh"', '"directory_town"."name_en"'):
        assert column not in page, column


def test_package_list_page_is_paginated_and_bounded(
    client, personas, world, round_2018, monkeypatch, django_assert_max_num_queries
):
    from procurement.views import tenders as views

    assert views.PACKAGE_PAGE_SIZE <= 100  # a page stays the same size whatever the city's
    monkeypatch.setattr(views, "PACKAGE_PAGE_SIZE", 2)
    packages = [PackageFactory(town=town, round=round_2018) for town in (world.town_a1, world.town_a2, world.town_b1)]
    client.force_login(personas[Role.BUREAU_ADMIN])
    url = reverse("procurement:package-list")
    client.get(url)
    with django_assert_max_num_queries(6):
        first = client.get(url)
    with django_assert_max_num_queries(6):
        second = client.get(url, {"page": 2})
    shown = [p.pk for p in first.context["packages"]] + [p.pk for p in second.context["packages"]]
    assert len(first.context["packages"]) == 2 and len(second.context["packages"]) == 1
    assert sorted(shown) == sorted(p.pk for p in packages)
    assert "?page=2" in first.content.decode() and "第 1 / 2 页" in first.content.decode()
    # A page number that is not one shows the first page; one past the end, the last.
    assert client.get(url, {"page": "x"}).context["page"].number == 1
    assert client.get(url, {"page": 99}).context["page"].number == 2

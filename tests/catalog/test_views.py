"""The catalogue browser and API: anyone logged in can search and filter; query counts stay constant."""

import pytest
from django.urls import reverse

from catalog.models import ServiceItem
from directory.models import Role


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(Role.values))
def test_every_role_can_browse_the_catalogue(client, personas, edition_2018, role):
    client.force_login(personas[role])
    response = client.get(reverse("catalog:item-list"))
    assert response.status_code == 200
    assert len(response.context["items"]) == 90


@pytest.mark.django_db
def test_outsiders_and_users_without_role_can_browse_too(client, outsiders, no_role_user, edition_2018):
    for user in [*outsiders.values(), no_role_user]:
        client.force_login(user)
        assert client.get(reverse("catalog:item-list")).status_code == 200


@pytest.mark.django_db
def test_catalogue_defaults_to_current_edition_and_switches(client, personas, edition_2018):
    client.force_login(personas[Role.TOWN_OFFICER])
    assert client.get(reverse("catalog:item-list")).context["edition"] == edition_2018
    response = client.get(reverse("catalog:item-list"), {"edition": "2016-pilot"})
    assert len(response.context["items"]) == 21


@pytest.mark.django_db
def test_catalogue_search_by_keyword(client, personas, edition_2018):
    client.force_login(personas[Role.AGENCY_WORKER])
    response = client.get(reverse("catalog:item-list"), {"q": "高空抛物"})
    names = [i.name_zh for i in response.context["items"]]
    assert names and all(
        "高空抛物" in n or "高空抛物" in i.description for n, i in zip(names, response.context["items"], strict=True)
    )
    assert "高空抛物" in response.content.decode()


@pytest.mark.django_db
def test_catalogue_filter_by_category_and_level(client, personas, edition_2018):
    client.force_login(personas[Role.COMMUNITY_OFFICER])
    response = client.get(reverse("catalog:item-list"), {"category": "governance"})
    items = list(response.context["items"])
    assert items and {i.category.kind for i in items} == {"governance"}
    response = client.get(reverse("catalog:item-list"), {"level": "town"})
    levels = {i.level for i in response.context["items"]}
    assert levels <= {"town", "both"} and "town" in levels
    expected = ServiceItem.objects.filter(edition=edition_2018, level__in=["town", "both"]).count()
    assert len(response.context["items"]) == expected


@pytest.mark.django_db
def test_catalogue_bad_filter_value_gives_a_message_not_a_500(client, personas, edition_2018):
    client.force_login(personas[Role.TOWN_OFFICER])
    response = client.get(reverse("catalog:item-list"), {"level": "moon", "edition": "nope"})
    assert response.status_code == 200
    assert 'role="alert"' in response.content.decode()


@pytest.mark.django_db
def test_catalogue_htmx_request_returns_the_table_partial(client, personas, edition_2018):
    client.force_login(personas[Role.TOWN_OFFICER])
    response = client.get(reverse("catalog:item-list"), {"q": "兴趣班"}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert "<html" not in body and "兴趣班" in body


@pytest.mark.django_db
def test_catalogue_list_uses_constant_queries(client, personas, edition_2018, django_assert_max_num_queries):
    client.force_login(personas[Role.TOWN_OFFICER])
    client.get(reverse("catalog:item-list"))  # warm the session
    # +1 in each count below: the bell's unread count (notifications).
    with django_assert_max_num_queries(9):
        response = client.get(reverse("catalog:item-list"))
    assert len(response.context["items"]) == 90
    with django_assert_max_num_queries(9):
        client.get(reverse("catalog:item-list"), {"edition": "2016-pilot"})


@pytest.mark.django_db
def test_item_detail_shows_every_field(client, personas, edition_2018):
    item = ServiceItem.objects.get(edition__code="2016-pilot", code="JC-01")
    client.force_login(personas[Role.EVALUATOR])
    response = client.get(reverse("catalog:item-detail", args=[item.pk]))
    body = response.content.decode()
    assert item.name_zh in body and item.name_en in body and item.description in body
    assert item.tasks.first().name_zh in body
    assert client.get(reverse("catalog:item-detail", args=[999999])).status_code == 404


@pytest.mark.django_db
def test_api_items_are_filtered_and_need_login(client, personas, edition_2018, django_assert_max_num_queries):
    url = reverse("api-v1:catalog-item-list")
    assert client.get(url).status_code == 403
    client.force_login(personas[Role.AGENCY_MANAGER])
    with django_assert_max_num_queries(8):
        response = client.get(url, {"edition": "2018-new-round", "category": "basic", "limit": 200})
    data = response.json()
    assert data["count"] == edition_2018.items.filter(category__kind="basic").count()
    assert {row["category_kind"] for row in data["results"]} == {"basic"}
    response = client.get(url, {"level": "moon"})
    assert response.status_code == 400
    assert "level" in response.json()


@pytest.mark.django_db
def test_api_me_lists_roles(client, personas):
    client.force_login(personas[Role.TOWN_OFFICER])
    data = client.get(reverse("api-v1:me")).json()
    assert data["roles"] == ["town_officer"]


@pytest.mark.django_db
def test_api_schema_is_served_offline(client, personas):
    client.force_login(personas[Role.BUREAU_ADMIN])
    response = client.get(reverse("api-v1:schema"))
    assert response.status_code == 200
    assert b"/api/v1/catalog/items/" in response.content

"""Pages and endpoints that moved when delivery left procurement (and the statistics went to reporting) keep a
permanent redirect at their old address: a 308, so a POST stays a POST, with the query string kept."""

import pytest
from django.urls import reverse

from delivery.api import urlpatterns as delivery_api
from delivery.views import urlpatterns as delivery_pages

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/procurement/packages/7/plan/", "/delivery/packages/7/plan/"),
        ("/procurement/packages/7/plan/coverage/?year=1", "/delivery/packages/7/plan/coverage/?year=1"),
        ("/procurement/packages/7/reports/", "/delivery/packages/7/reports/"),
        ("/procurement/reports/9/edit/", "/delivery/reports/9/edit/"),
        ("/procurement/focus-issues/?status=resolved", "/delivery/focus-issues/?status=resolved"),
        ("/procurement/towns/3/focus-issues/", "/delivery/towns/3/focus-issues/"),
        ("/procurement/public/statistics/", "/statistics/"),
        ("/api/v1/procurement/packages/7/reports/", "/api/v1/delivery/packages/7/reports/"),
        ("/api/v1/procurement/focus-issues/?limit=5", "/api/v1/delivery/focus-issues/?limit=5"),
        ("/api/v1/procurement/statistics/", "/api/v1/statistics/"),
        ("/procurement/public/ocds/releases.json?limit=5", "/ocds/releases/?limit=5"),
    ],
)
def test_moved_address_answers_308_to_the_new_one(client, old, new):
    response = client.get(old)
    assert response.status_code == 308
    assert response["Location"] == new


def test_a_post_to_a_moved_address_is_redirected_keeping_its_method(client):
    response = client.post("/procurement/reports/9/confirm/", {"x": "1"})
    assert response.status_code == 308  # a 308 tells the client to repeat the POST at the new address
    assert response["Location"] == "/delivery/reports/9/confirm/"
    api = client.post("/api/v1/procurement/reports/9/submit/", {}, content_type="application/json")
    assert api.status_code == 308 and api["Location"] == "/api/v1/delivery/reports/9/submit/"


# Delivery pages added after the move never had a /procurement/ address.
NEW_SINCE_THE_MOVE = {"evidence/<int:first>/<int:second>/"}


def test_every_delivery_page_and_endpoint_has_its_old_address(client):
    for pattern in delivery_pages:
        if str(pattern.pattern) in NEW_SINCE_THE_MOVE:
            continue
        route = (
            str(pattern.pattern).replace("<int:pk>", "1").replace("<int:item_pk>", "2").replace("<int:venue_pk>", "3")
        )
        response = client.get("/procurement/" + route)
        assert response.status_code == 308, route
        assert response["Location"] == "/delivery/" + route
    for pattern in delivery_api:
        route = str(pattern.pattern).replace("<int:pk>", "1").replace("<int:item_pk>", "2")
        method = next(m for m in ("get", "post", "patch") if hasattr(pattern.callback.cls, m))
        response = getattr(client, method)("/api/v1/procurement/" + route)
        assert response.status_code == 308, route
        assert response["Location"] == "/api/v1/delivery/" + route


def test_the_openapi_document_says_what_moved(client, personas):
    schema = client.get(reverse("api-v1:schema"), {"format": "json"}).json()
    old = schema["paths"]["/api/v1/procurement/packages/{id}/reports/"]
    assert old["get"]["deprecated"] is True
    assert "/api/v1/delivery/packages/<int:pk>/reports/" in old["get"]["description"]
    assert "/api/v1/delivery/packages/{id}/reports/" in schema["paths"]

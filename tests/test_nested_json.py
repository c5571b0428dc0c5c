"""Deeply nested JSON (issue 12, finding 3): 100,000 "[" then 100,000 "]" on any JSON endpoint is a 400, never
the RecursionError's 500 — in DRF's parser and in the NUL-character middleware that reads JSON bodies first."""

import pytest
from django.test import override_settings
from rest_framework.exceptions import ParseError

from core.parsers import MAX_JSON_DEPTH, JSONParser, json_depth
from directory.models import Role
from tests.test_no_server_errors import _routes, _url, scene  # noqa: F401  (the fixture of every row kind)

DEEP = b"[" * 100_000 + b"]" * 100_000
DEEP_OBJECT = b'{"a":' * 100_000 + b"1" + b"}" * 100_000


def _parse(body: bytes):
    import io

    return JSONParser().parse(io.BytesIO(body), "application/json", {})


def test_the_parser_refuses_deep_nesting_with_a_parse_error():
    for body in (DEEP, DEEP_OBJECT):
        with pytest.raises(ParseError, match="嵌套"):
            _parse(body)
    ok = b"[" * MAX_JSON_DEPTH + b"]" * MAX_JSON_DEPTH
    assert json_depth(_parse(ok)) == MAX_JSON_DEPTH
    with pytest.raises(ParseError, match="嵌套"):
        _parse(b"[" + ok + b"]")


def test_the_parser_keeps_drf_strictness_and_bounds_the_size():
    with pytest.raises(ParseError):
        _parse(b'{"x": NaN}')
    with pytest.raises(ParseError):
        _parse(b"\xff\xfe")
    with override_settings(DATA_UPLOAD_MAX_MEMORY_SIZE=100), pytest.raises(ParseError, match="过大"):
        _parse(b'{"summary": "' + b"x" * 200 + b'"}')
    assert _parse(b'{"summary": "\xe5\xb0\x8f\xe7\xbb\x93"}') == {"summary": "小结"}


@pytest.mark.django_db
@pytest.mark.parametrize("role", [Role.BUREAU_ADMIN, Role.AGENCY_MANAGER, Role.AGENCY_WORKER])
def test_every_json_endpoint_answers_deep_nesting_with_400(client, personas, scene, role):  # noqa: F811
    client.force_login(personas[role])
    client.raise_request_exception = False
    errors, refused = [], 0
    routes = [(route, is_api) for route, is_api in _routes() if is_api]
    assert routes
    for route, _is_api in routes:
        url = _url(route, scene)
        for method in ("post", "put", "patch"):
            for body in (DEEP, DEEP_OBJECT):
                response = getattr(client, method)(url, body, content_type="application/json")
                if response.status_code >= 500:
                    errors.append(f"{method.upper()} {url} → {response.status_code}")
                elif "嵌套" in str(response.json().get("detail", "")):
                    # Views that never read the body answer 403/404/405 or their own 400 first.
                    assert response.status_code == 400
                    refused += 1
    assert errors == []
    assert refused > 0


@pytest.mark.django_db
def test_a_report_update_with_deep_nesting_is_a_400(client, personas, scene):  # noqa: F811
    client.force_login(personas[Role.AGENCY_WORKER])
    response = client.patch(f"/api/v1/delivery/reports/{scene['reports']}/", DEEP, content_type="application/json")
    assert response.status_code == 400
    assert "嵌套" in response.json()["detail"]


@pytest.mark.django_db
def test_deep_json_posted_to_pages_and_the_public_api_is_no_server_error(client, personas):
    client.raise_request_exception = False
    for user in (None, personas[Role.BUREAU_ADMIN]):
        if user:
            client.force_login(user)
        for url in ("/", "/accounts/login/", "/api/v1/me/", "/api/v1/statistics/", "/api/v1/nowhere/"):
            response = client.post(url, DEEP, content_type="application/json")
            assert response.status_code < 500, url


@pytest.mark.django_db
def test_nul_inside_nested_json_is_still_refused(client, personas):
    client.force_login(personas[Role.AGENCY_WORKER])
    body = b"[" * 20 + b'"a\\u0000b"' + b"]" * 20
    response = client.post("/api/v1/me/", body, content_type="application/json")
    assert response.status_code == 400 and "NUL" in response.json()["detail"]


@pytest.mark.django_db
def test_json_bodies_over_the_limit_are_refused(client, personas, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(personas[Role.AGENCY_WORKER])
    body = b'{"summary": "' + b"x" * 2000 + b'"}'
    response = client.post("/api/v1/me/", body, content_type="application/json")
    assert response.status_code == 413

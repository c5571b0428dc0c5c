"""Swagger UI served offline at /api/v1/docs/ (drf-spectacular-sidecar): every asset from this site, its start-up
script a file of its own (no inline script under the Content-Security-Policy)."""

import re

import pytest
from django.contrib.staticfiles import finders

from tests.test_csp import assert_no_inline_script, assert_strict


@pytest.mark.django_db
def test_swagger_ui_is_served_from_this_site(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert_strict(response)
    assert_no_inline_script(html)
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(s.startswith("/") for s in sources), sources  # no CDN
    assert any("swagger-ui-dist" in s for s in sources)
    for source in sources:
        if source.startswith("/static/"):
            path = source.removeprefix("/static/").split("?")[0]
            assert finders.find(path), source
    script = next(s for s in sources if "script" in s and "docs" in s)
    response = client.get(script)
    assert response.status_code == 200 and "javascript" in response["Content-Type"]
    assert "/api/v1/schema/" in response.content.decode()


@pytest.mark.django_db
def test_the_schema_it_reads_is_public_and_documents_tokens(client):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/tokens/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["apiToken"]["scheme"] == "bearer"

"""Content-Security-Policy (issue 12, finding 7): every response, page or API, carries a policy that allows
scripts from this site only — no 'unsafe-inline' — and no template holds an inline script or event handler."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from directory.models import Role
from tests.delivery.reports.builders import END, START, approved_plan
from tests.procurement.factories import PackageFactory, RoundFactory, qualified_agency

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# A <script> without src that is not a JSON data island (json_script, which never runs).
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*type=\"application/json\")[^>]*>", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=", re.I)


def policy(response) -> dict[str, list[str]]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0]] = words[1:]
    return directives


def assert_strict(response) -> None:
    directives = policy(response)
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in directives.get("default-src", [])
    assert "'unsafe-eval'" not in " ".join(directives.get("script-src", []))
    assert directives["object-src"] == ["'none'"]
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["base-uri"] == ["'self'"]


def assert_no_inline_script(html: str) -> None:
    assert not INLINE_SCRIPT.findall(html), INLINE_SCRIPT.findall(html)
    tags = re.findall(r"<[a-z][^>]*>", html, re.I)
    assert not [t for t in tags if EVENT_HANDLER.search(t)]


@pytest.mark.django_db
def test_pages_carry_a_strict_policy(client, personas):
    assert_strict(client.get(reverse("login")))
    client.force_login(personas[Role.BUREAU_ADMIN])
    response = client.get(reverse("directory:home"))
    assert response.status_code == 200
    assert_strict(response)
    assert_no_inline_script(response.content.decode())


@pytest.mark.django_db
def test_api_responses_carry_the_policy_too(client, personas):
    response = client.get("/api/v1/statistics/")
    assert response.status_code == 200 and response["Content-Type"].startswith("application/json")
    assert_strict(response)
    client.force_login(personas[Role.AGENCY_MANAGER])
    response = client.get("/api/v1/me/")
    assert response.status_code == 200
    assert_strict(response)
    assert_strict(client.get("/api/v1/no-such-endpoint/"))


def test_no_template_has_an_inline_script_or_event_handler():
    offenders = []
    for path in TEMPLATES.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or EVENT_HANDLER.search(text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert offenders == []


@pytest.mark.django_db
def test_chart_pages_load_their_scripts_from_static_files(client, personas, world, edition_2018):
    """The two pages with charts: the public city statistics and a package's progress."""
    response = client.get(reverse("reporting:city-statistics"))
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_inline_script(html)
    assert "js/charts.js" in html and 'id="years-data"' in html
    package = PackageFactory(
        town=world.town_a1, agency=qualified_agency(world.agency), round=RoundFactory(), starts_on=START, ends_on=END
    )
    approved_plan(package, world)
    client.force_login(personas[Role.TOWN_OFFICER])
    response = client.get(reverse("delivery:package-progress", args=[package.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert_no_inline_script(html)
    assert "js/charts.js" in html and 'id="progress-data"' in html
    assert_strict(response)


def test_the_static_scripts_exist():
    for name in ("js/site.js", "js/charts.js"):
        assert (Path(settings.BASE_DIR) / "static" / name).is_file()

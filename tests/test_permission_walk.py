"""The generated permission walk: every URL pattern of the site (pages and API, `get_resolver()`) × every
persona (each role, a logged-in user without a role, an anonymous visitor, and an outsider of another district,
town, community, agency and firm) on the rows of one scene. The expected statuses live in one table,
tests/permission_walk.py; a URL without a row there fails, so a new URL must declare who may reach it.

- Each GET answers the status of its row; a refused answer (3xx, 4xx) never carries a scene row's text, and
  no answer to an outsider (not even a list's 200) carries the text of side A's private rows.
- Every API write on a row of side A, sent by an outsider with an empty body, is a 403 or 404 and changes
  nothing in the database; a write without a row (a create) is refused or a 400. So is an outsider's empty
  POST to every page on a row of side A.
- Old `/procurement/…` addresses answer 308 to everyone; the admin (`/admin/`) is for the bureau's staff only.

The scene is built once per test; one test walks the table and reports every mismatch together."""

import re
from collections import defaultdict

import pytest
from django.apps import apps
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from directory.models import Role
from tests.permission_walk import (
    COLUMNS,
    EXPECT,
    MOVED,
    OPEN_WRITES,
    OUTSIDERS,
    PENDING_API_PREFIXES,
    PENDING_NAMESPACES,
    PUBLIC_ROWS,
    build_scene,
)

pytestmark = pytest.mark.django_db
WRITE_METHODS = ("post", "put", "patch", "delete")


def _patterns(resolver=None, prefix="", namespace=""):
    """(route, full url name or None, namespace, callback) of every URL pattern."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            ns = ":".join(filter(None, [namespace, pattern.namespace])) if pattern.namespace else namespace
            yield from _patterns(pattern, prefix + str(pattern.pattern), ns)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace and pattern.name else pattern.name
            yield prefix + str(pattern.pattern), name, namespace, pattern.callback


def _kind(name, namespace, callback) -> str:
    if callback.__module__ == "core.redirects":
        return "moved"
    if namespace.split(":")[0] == "admin":
        return "admin"
    if name is None:
        return "unnamed"
    if name in EXPECT:
        return "table"
    short = name.split(":")[-1]
    if namespace in PENDING_NAMESPACES or (namespace == "api-v1" and short.startswith(PENDING_API_PREFIXES)):
        return "pending"
    return "table"


def _statuses(text: str) -> list[int]:
    return [int(code) for code in text.split() if code != "|"]


def _url(name: str, kwargs_spec: str, ids: dict) -> str:
    kwargs = {}
    for part in kwargs_spec.split():
        arg, key = part.split("=")
        kwargs[arg] = ids[key]
    return reverse(name, kwargs=kwargs)


def _route_url(route: str) -> str:
    """An old address with every parameter filled with 1 (the 308 does not look at it)."""
    return "/" + re.sub(r"<(?:\w+:)?\w+>", "1", route).lstrip("^").rstrip("$")


@pytest.fixture
def walk(settings, tmp_path, world, personas, outsiders, no_role_user, edition_2018):
    settings.MEDIA_ROOT = settings.PRIVATE_MEDIA_ROOT = tmp_path
    scene = build_scene(world=world, personas=personas, outsiders=outsiders, edition=edition_2018)
    users = {"anonymous": None, "nobody": no_role_user, **personas}
    users |= {f"outsider:{role}": user for role, user in outsiders.items()}
    assert set(users) == set(COLUMNS), "the walk's columns and the personas differ"
    return scene, users


def _body(response) -> str:
    if getattr(response, "streaming", False):
        return ""
    return response.content.decode("utf-8", "replace")


def _login(client, user):
    client.logout()
    if user is not None:
        client.force_login(user)


def test_every_url_answers_each_persona_as_the_table_says(client, walk):
    scene, users = walk
    client.raise_request_exception = False
    table, moved, unnamed, missing = [], [], [], []
    for route, name, namespace, callback in _patterns():
        kind = _kind(name, namespace, callback)
        if kind == "table":
            (table if name in EXPECT else missing).append((route, name))
        elif kind == "moved":
            view = getattr(callback, "cls", None)  # an old API address answers only its new address's methods
            moved.append((route, next(m for m in ("get", "post", "patch") if view is None or hasattr(view, m))))
        elif kind == "unnamed":
            unnamed.append(route)
    stale = set(EXPECT) - {name for _route, name in table}
    failures, seen = [], defaultdict(dict)
    for column in COLUMNS:
        _login(client, users[column])
        for _route, name in table:
            kwargs_spec, statuses = EXPECT[name]
            expected = _statuses(statuses)[COLUMNS.index(column)]
            url = _url(name, kwargs_spec, scene.ids)
            response = client.get(url)
            if response.status_code != expected:
                failures.append(f"GET {url} ({name}) as {column}: {response.status_code}, expected {expected}")
            if response.status_code >= 300 or column in OUTSIDERS:
                shown = scene.markers if response.status_code >= 300 else scene.private
                leaked = [m for m in shown if m in _body(response)]
                if leaked:
                    failures.append(f"GET {url} as {column}: {response.status_code} shows side A's {leaked}")
        for route, name in missing:
            seen[name][column] = client.get(_url(name, _guess_kwargs(route), scene.ids)).status_code
    for column in ("anonymous", OUTSIDERS[0]):
        _login(client, users[column])
        for route, method in moved:
            response = getattr(client, method)(_route_url(route))
            if response.status_code != MOVED:
                failures.append(f"{method.upper()} {_route_url(route)} (moved) as {column}: {response.status_code}")
    for route, name in missing:
        observed = " ".join(str(seen[name].get(c, "?")) for c in COLUMNS)
        failures.append(f"no expectation for {name} ({route}) in tests/permission_walk.py; saw: {observed}")
    failures += [f"an unnamed URL pattern cannot be walked: {route}" for route in unnamed]
    failures += [f"tests/permission_walk.py has a row for {name}, which no longer exists" for name in sorted(stale)]
    assert failures == [], "\n".join(failures)


def _guess_kwargs(route: str) -> str:
    """For a URL without a row: every parameter a row that does not exist (only to print what the URL answers
    as a starting point for its row; the row itself must name real scene rows)."""
    return " ".join(f"{param}=absent" for param in re.findall(r"<(?:\w+:)?(\w+)>", route))


def _fingerprint() -> dict:
    """Row counts of every table and the content of the tables a write would change."""
    skip = {"sessions", "axes", "admin"}
    counts = {m._meta.label: m._default_manager.count() for m in apps.get_models() if m._meta.app_label not in skip}
    watched = (
        "procurement.Tender procurement.Bid procurement.ServicePackage procurement.StaffMember delivery.ServicePlan "
        "delivery.PlanItem delivery.ServiceReport delivery.ReportLine delivery.FocusIssue delivery.Venue "
        "evaluation.Evaluation evaluation.EvaluationAssignment evaluation.ScoreSheet evaluation.AssessmentRound "
        "evaluation.AssessmentSheet funds.SourceBudget funds.Instalment funds.Payment funds.LedgerEntry "
        "funds.MicroGrant directory.ApiToken"
    )
    rows = {label: list(apps.get_model(label).objects.order_by("pk").values()) for label in watched.split()}
    return {"counts": counts, "rows": rows}


def test_outsiders_writes_on_another_sides_rows_are_refused_and_change_nothing(walk):
    """Every API write (its methods, a JSON body of {}) and every page on a row of side A (an empty form POST),
    sent by each outsider."""
    scene, users = walk
    api_writes, page_writes = [], []
    for _route, name, namespace, callback in _patterns():
        if _kind(name, namespace, callback) != "table":
            continue
        kwargs_spec = EXPECT[name][0]
        if namespace == "api-v1":
            view = getattr(callback, "cls", None)
            methods = [m for m in WRITE_METHODS if view is not None and hasattr(view, m)]
            if methods:
                api_writes.append((name, methods))
        elif namespace and kwargs_spec and "absent" not in kwargs_spec and name not in PUBLIC_ROWS:
            page_writes.append(name)
    assert len(api_writes) >= 40 and len(page_writes) >= 80, "the walk found fewer writes than the site has"
    clients = {}
    for column in OUTSIDERS:  # logged in before the snapshot: a login itself writes (last_login, its history)
        clients[column] = Client(raise_request_exception=False)
        clients[column].force_login(users[column])
    before = _fingerprint()
    failures = []

    def check(response, method, url, name, column, allowed):
        if response.status_code not in allowed:
            failures.append(f"{method.upper()} {url} ({name}) as {column}: {response.status_code}")
        leaked = [m for m in (scene.private if name in OPEN_WRITES else scene.markers) if m in _body(response)]
        if leaked:
            failures.append(f"{method.upper()} {url} as {column}: {response.status_code} shows {leaked}")

    for column, client in clients.items():
        for name, methods in api_writes:
            kwargs_spec = EXPECT[name][0]
            url = _url(name, kwargs_spec, scene.ids)
            # A write on a row of side A must be refused; a create (no row in the URL) or a write anyone eligible
            # may make on a public row (OPEN_WRITES) may also be a 400 for the empty body.
            allowed = {403, 404} if kwargs_spec and name not in OPEN_WRITES else {400, 403, 404}
            for method in methods:
                response = getattr(client, method)(url, {}, content_type="application/json")
                check(response, method, url, name, column, allowed)
        for name in page_writes:
            url = _url(name, EXPECT[name][0], scene.ids)
            # 405: a page that takes no POST at all. A public row's page (OPEN_WRITES) may answer its form again.
            allowed = {403, 404, 405} | ({200, 302, 400} if name in OPEN_WRITES else set())
            check(client.post(url, {}), "post", url, name, column, allowed)
    after = _fingerprint()
    changed = [label for label in before["counts"] if before["counts"][label] != after["counts"][label]]
    changed += [label for label in before["rows"] if before["rows"][label] != after["rows"][label]]
    assert failures == [], "\n".join(failures)
    assert changed == [], f"refused writes changed {changed}"


def test_the_admin_is_for_the_bureaus_staff_only(client, walk):
    """One rule for every admin page without a parameter (index, app indexes, change lists, add forms): the
    bureau administrator reaches it, anyone else is sent to the admin login and sees nothing."""
    _scene, users = walk
    client.raise_request_exception = False
    pages = [
        "/" + route
        for route, name, namespace, callback in _patterns()
        if _kind(name, namespace, callback) == "admin"
        and "<" not in route
        and "(?P" not in route
        and name not in ("admin:login", "admin:logout")  # the way in and out, open to all
    ]
    assert len(pages) > 20
    failures = []
    for column in ("anonymous", "nobody", Role.AGENCY_MANAGER, Role.AUDITOR, "outsider:" + Role.TOWN_OFFICER):
        _login(client, users[column])
        for url in pages:
            response = client.get(url)
            if response.status_code != 302 or "/admin/login/" not in response["Location"]:
                failures.append(f"GET {url} as {column}: {response.status_code}")
    _login(client, users[Role.BUREAU_ADMIN])
    for url in pages:
        status = client.get(url).status_code
        if status >= 500 or status in (401, 404):
            failures.append(f"GET {url} as bureau: {status}")
    assert failures == [], "\n".join(failures)

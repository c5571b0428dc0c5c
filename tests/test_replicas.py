"""Two web replicas (docs/DEPLOYMENT.md): two gunicorn processes share only PostgreSQL, Redis (CACHE_URL) and the
private files. A user who logs in on one is logged in on the other, downloads there a file uploaded through the
first, is logged out everywhere by logging out on either, and a login throttle counts failures from both."""

import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.db import connection
from django.urls import reverse

from delivery.services.reports import report_attach, report_create
from directory.models import Role
from tests.delivery.reports.builders import END, JPEG, START, approved_plan, upload
from tests.procurement.factories import PackageFactory

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "Replica-test-password-2026"

pytestmark = [
    # Starts two servers: runs in the serial tier, beside nothing else.
    pytest.mark.redis,
    pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs a real Redis (CELERY_BROKER_URL)"),
    pytest.mark.skipif(
        settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql",
        reason="the servers are other processes: they cannot see an in-memory SQLite test database",
    ),
    pytest.mark.django_db(transaction=True),
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def request(port: int, method: str, path: str, cookie: str = "", body: dict | None = None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    headers = {"Cookie": cookie} if cookie else {}
    if body is not None:
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    try:
        conn.request(method, path, body=urlencode(body) if body is not None else None, headers=headers)
        response = conn.getresponse()
        return response.status, response.getheaders(), response.read()
    finally:
        conn.close()


def cookies(headers, jar: dict | None = None) -> dict:
    jar = dict(jar or {})
    for name, value in headers:
        if name.lower() == "set-cookie":
            key, _, rest = value.partition("=")
            jar[key.strip()] = rest.split(";", 1)[0]
    return jar


def header(jar: dict) -> str:
    return "; ".join(f"{k}={v}" for k, v in jar.items())


def post_form(port: int, path: str, jar: dict, fields: dict, page: str | None = None):
    """GET the page (`path`, or the `page` the form is on) for its CSRF token, then POST the form; returns
    (status, headers, cookies)."""
    status, headers, body = request(port, "GET", page or path, header(jar))
    jar = cookies(headers, jar)
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    assert status == 200 and token, status
    status, headers, _body = request(
        port, "POST", path, header(jar), {**fields, "csrfmiddlewaretoken": token.group(1).decode()}
    )
    return status, headers, cookies(headers, jar)


@pytest.fixture
def replicas(tmp_path, settings):
    """Two gunicorn processes with one database, one Redis cache and one private-file directory."""
    media = tmp_path / "shared_media"
    settings.PRIVATE_MEDIA_ROOT = settings.MEDIA_ROOT = media
    prefix = f"replica-test-{uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if k not in {"STORAGE_BACKEND", "DJANGO_ENV"}}
    env.update(
        DATABASE_URL=_database_url(),
        DJANGO_SETTINGS_MODULE="suzhou_sw.settings",
        CACHE_URL=os.environ["CELERY_BROKER_URL"],
        CACHE_KEY_PREFIX=prefix,
        PRIVATE_MEDIA_ROOT=str(media),
        ALLOWED_HOSTS="127.0.0.1",
        LOGIN_FAILURE_LIMIT="2",
        LOG_LEVEL="WARNING",
        PYTHONWARNINGS="ignore:No directory at",
    )
    ports, procs = [_free_port(), _free_port()], []
    try:
        for port in ports:
            procs.append(
                subprocess.Popen(
                    [
                        *(
                            sys.executable,
                            "-m",
                            "gunicorn",
                            "suzhou_sw.wsgi",
                            "--chdir",
                            str(ROOT),
                            "--bind",
                            f"127.0.0.1:{port}",
                        ),
                        *("--workers", "1", "--log-level", "warning"),
                    ],
                    env=env,
                    start_new_session=True,
                )
            )
        for port, proc in zip(ports, procs, strict=True):
            deadline = time.monotonic() + 90
            while True:
                assert proc.poll() is None, "gunicorn exited"
                try:
                    if request(port, "GET", reverse("login"))[0] == 200:
                        break
                except OSError:
                    pass
                assert time.monotonic() < deadline, "gunicorn did not answer within 90 s"
                time.sleep(0.3)
        yield ports
    finally:
        for proc in procs:
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    os.killpg(proc.pid, signal.SIGKILL)
                    proc.wait()
        # This test's keys only (the Redis database may be shared).
        import redis

        client = redis.Redis.from_url(os.environ["CELERY_BROKER_URL"])
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


@pytest.fixture
def town_officer(personas):
    user = personas[Role.TOWN_OFFICER]
    # The tests hash with a fast hasher the servers (real settings) do not accept.
    hasher = PBKDF2PasswordHasher()
    user.password = hasher.encode(PASSWORD, hasher.salt())
    user.save(update_fields=["password"])
    return user


@pytest.fixture
def attachment(replicas, world, agency, round_2018, personas):
    package = PackageFactory(town=world.town_a1, agency=agency, round=round_2018, starts_on=START, ends_on=END)
    approved_plan(package, world)
    worker = personas[Role.AGENCY_WORKER]
    report = report_create(actor=worker, package=package, year=2025, month=3)
    return report_attach(actor=worker, report=report, file=upload("签到表.jpg", JPEG))


def test_a_session_and_a_file_from_one_replica_work_on_the_other(replicas, town_officer, attachment):
    a, b = replicas
    status, _headers, jar = post_form(
        a, reverse("login"), {}, {"username": town_officer.username, "password": PASSWORD}
    )
    assert status == 302 and "sessionid" in jar

    # Logged in on B with the cookie A gave, and B serves the file stored by another process.
    status, _headers, body = request(b, "GET", reverse("delivery:report-attachment", args=[attachment.pk]), header(jar))
    assert status == 200 and body == JPEG
    status, _headers, _body = request(b, "GET", reverse("directory:home"), header(jar))
    assert status == 200

    # Logging out on B ends the session on A too.
    status, _headers, _jar = post_form(b, reverse("logout"), jar, {}, page=reverse("directory:home"))
    assert status in (200, 302)
    status, headers, _body = request(a, "GET", reverse("directory:home"), header(jar))
    assert status == 302 and reverse("login") in dict(headers)["Location"]


def test_failed_logins_on_both_replicas_add_up_to_one_lockout(replicas, town_officer):
    a, b = replicas
    wrong = {"username": town_officer.username, "password": "not-the-password"}
    assert post_form(a, reverse("login"), {}, wrong)[0] == 200
    assert post_form(b, reverse("login"), {}, wrong)[0] in (200, 429)
    # The limit is 2 (LOGIN_FAILURE_LIMIT): the right password is now refused on either replica.
    right = {"username": town_officer.username, "password": PASSWORD}
    assert post_form(a, reverse("login"), {}, right)[0] == 429

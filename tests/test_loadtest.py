"""The load-test harness (issue 14, `make loadtest`) runs end to end at a tiny scale for a few seconds: gunicorn
serves the platform and the baseline, the generator logs in through the login form and with an API token, and
every target answers 200 under load. The figures are a benchmark, not a test: nothing here asserts a speed."""

import io
import re
import socket

import pytest
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core.management import call_command
from django.db import connection

from bench.loadtest import run as loadtest
from core.city import CITY_PASSWORD
from directory.models import User

pytestmark = [pytest.mark.loadtest, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def test_loadtest_harness_serves_every_target_and_its_baseline():
    if connection.vendor != "postgresql":
        pytest.skip("the load test runs gunicorn against PostgreSQL")
    call_command("seed_city", scale=0.02, stdout=io.StringIO())
    # The tests hash passwords with a fast hasher the server (real settings) does not accept.
    hasher = PBKDF2PasswordHasher()
    User.objects.filter(username__startswith="city-").update(password=hasher.encode(CITY_PASSWORD, hasher.salt()))
    report = loadtest.run(
        database_url=_database_url(),
        scale=0.02,
        reseed=False,
        users=[2],
        duration=0.5,
        warmup=0.0,
        workers=2,
        port=_free_port(),
        in_process=True,
        sweep=True,
        out=lambda line: None,
    )
    assert report["compliance_sweep"]["errors"] == [] and report["compliance_sweep"]["rerun_queries"] > 0
    results = {r["name"]: r for r in report["results"]}
    assert len(results) == 11
    for name, r in results.items():
        assert r["status"] == 200, name
        assert r["queries"] > 0 or name == "public city statistics", name  # the statistics come from the cache
        run = r["runs"]["2"]
        assert run["requests"] > 0 and run["errors"] == 0 and set(run["status"]) == {"200"}, name
    with_ceiling = [r for r in results.values() if "baseline" in r]
    assert len(with_ceiling) == 5
    for r in with_ceiling:
        assert r["baseline"]["status"] == 200 and r["ceiling_ratio"]["2"] > 0
        if r["path"].startswith("/api/"):
            assert r["baseline"]["same_rows"], r["name"]
    assert re.search(r"\| focus issues API \| \d+ \| 2 \|", loadtest.table(report))

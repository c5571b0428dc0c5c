"""Deployment and CI files agree with the code: compose stack, Dockerfile, .env.example, Makefile, .ci/run."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
APP_SERVICES = ("web", "worker", "beat")


def read(name: str) -> str:
    return (ROOT / name).read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(read("docker-compose.yml"))


def settings_env_names() -> set[str]:
    source = read("suzhou_sw/settings.py")
    helper_calls = re.findall(r"\benv_(?:str|bool|list|int)\(\s*[\"']([A-Z][A-Z0-9_]*)[\"']", source)
    direct_reads = re.findall(
        r"os\.(?:environ\.get|getenv|environ\[|environ\.setdefault)\(?\s*[\"']([A-Z][A-Z0-9_]*)[\"']", source
    )
    return set(helper_calls) | set(direct_reads)


def code_lines(script: str) -> list[str]:
    """Shell lines with comments dropped and backslash continuations joined."""
    joined = re.sub(r"\\\n", " ", script)
    return [line.strip() for line in joined.splitlines() if line.strip() and not line.strip().startswith("#")]


def test_compose_defines_the_stack(compose):
    assert {"postgres", "redis", *APP_SERVICES} <= set(compose["services"])
    assert compose["services"]["postgres"]["image"].startswith("postgres:16")
    assert "healthcheck" in compose["services"]["postgres"]
    assert compose["services"]["redis"]["image"].startswith("redis:7")


def test_app_services_share_one_definition_through_the_anchor(compose):
    assert "x-app: &app" in read("docker-compose.yml")
    services = compose["services"]
    builds = [services[name].get("build") for name in APP_SERVICES]
    assert builds[0] is not None
    assert builds.count(builds[0]) == len(builds)
    for name in APP_SERVICES:
        env = services[name]["environment"]
        assert env["DJANGO_ENV"] == "production", name
        assert "SECRET_KEY" in env and "ALLOWED_HOSTS" in env, name
        assert env["DATABASE_URL"].startswith("postgres://"), name
        assert env["CELERY_BROKER_URL"].startswith("redis://"), name
        assert services[name]["depends_on"]["postgres"]["condition"] == "service_healthy", name


def test_app_services_run_their_own_commands(compose):
    services = compose["services"]

    def command(name: str) -> str:
        value = services[name]["command"]
        return value if isinstance(value, str) else " ".join(value)

    web = command("web")
    assert "migrate" in web and "collectstatic" in web
    assert "gunicorn suzhou_sw.wsgi" in web and "0.0.0.0:8000" in web
    assert re.search(r"celery -A suzhou_sw worker\b", command("worker"))
    assert "django_celery_beat.schedulers:DatabaseScheduler" in command("beat")


def test_dockerfile_installs_a_cjk_font_and_weasyprint_libraries():
    dockerfile = read("Dockerfile")
    assert "python:3.11-slim-bookworm" in dockerfile
    installs = " ".join(line for line in code_lines(dockerfile) if "apt-get install" in line)
    assert re.search(r"\bfonts-(?:noto-cjk|wqy-microhei)\b", installs)
    for lib in ("libpango-1.0-0", "libpangoft2-1.0-0"):
        assert lib in installs
    assert "collectstatic" in dockerfile


def test_dockerignore_keeps_local_state_out_of_the_image():
    ignored = set(code_lines(read(".dockerignore")))
    assert {".venv", "node_modules", "db.sqlite3", "private_media", ".git", ".env"} <= ignored


def test_env_example_names_every_variable_settings_reads():
    names = settings_env_names()
    # Guard against the regex silently matching nothing.
    assert {"SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL", "ALLOWED_HOSTS"} <= names
    example = read(".env.example")
    missing = sorted(name for name in names if not re.search(rf"^#?\s*{name}=", example, re.MULTILINE))
    assert missing == [], f".env.example does not document {missing}"


def test_env_example_ships_no_secret_key():
    assert re.search(r"^SECRET_KEY=$", read(".env.example"), re.MULTILINE)


def test_ci_runs_make_test_on_sqlite_then_on_postgres_and_redis():
    script = read(".ci/run")
    assert os.access(ROOT / ".ci/run", os.X_OK)
    assert "set -euo pipefail" in script
    # Quoted text (log messages) is not a command; quoted values such as "$PG_URL" are not needed here.
    unquoted = [re.sub(r'"[^"]*"', '""', line) for line in code_lines(script)]
    runs = [line for line in unquoted if re.search(r"\bmake test\b", line)]
    assert len(runs) == 2, runs
    first, second = runs
    assert "DATABASE_URL=" not in first and "-u DATABASE_URL" in first
    assert "DATABASE_URL=" in second and "postgres://" in script
    assert "CELERY_BROKER_URL=" in second and "redis://" in script


@pytest.mark.skipif(shutil.which("bash") is None, reason="no bash")
def test_ci_script_parses():
    subprocess.run(["bash", "-n", str(ROOT / ".ci/run")], check=True)


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_test_passes_pytest_args_through():
    # -n prints the recipes without running them. Drop the flags of a `make test` this may be running under.
    outer = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTEST_ARGS"}
    env = {k: v for k, v in os.environ.items() if k not in outer}
    result = subprocess.run(
        ["make", "-n", "test", "PYTEST_ARGS=-k sentinel_expression"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    commands = result.stdout.splitlines()
    pytest_line = next(line for line in commands if line.startswith(".venv/bin/pytest"))
    assert pytest_line.endswith("-k sentinel_expression")
    order = [
        next(i for i, line in enumerate(commands) if marker in line)
        for marker in ("ruff check .", "ruff format --check .", "makemigrations --check --dry-run")
    ]
    assert order == sorted(order) and order[-1] < commands.index(pytest_line)


def test_makefile_has_the_documented_targets():
    targets = set(re.findall(r"^([a-z][a-z-]*):", read("Makefile"), re.MULTILINE))
    expected = {"install", "run", "test", "lint", "fmt", "migrations-check", "worker", "beat", "bench"}
    assert expected | {"up", "down", "screenshots"} <= targets

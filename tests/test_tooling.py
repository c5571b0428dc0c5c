"""Deployment and CI files agree with the code: compose stack, Dockerfile, .env.example, Makefile, .ci/run."""

import os
import re
import shutil
import subprocess
import tomllib
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
    assert "gunicorn -c suzhou_sw/gunicorn_conf.py suzhou_sw.wsgi" in web and "0.0.0.0:8000" in web
    assert '"-c", "suzhou_sw/gunicorn_conf.py"' in read("Dockerfile")  # the image's default command tunes gc too
    # Migrations run once, in their own service; static files are collected into the image.
    assert "migrate" not in web and "manage.py migrate" in command("migrate")
    assert "collectstatic" in read("Dockerfile")
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


def make_dry_run(*args: str) -> list[str]:
    """The commands `make -n` would run. Drop the flags of a `make test` this may be running under."""
    outer = {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "PYTEST_ARGS", "CI"}
    env = {k: v for k, v in os.environ.items() if k not in outer}
    result = subprocess.run(["make", "-n", *args], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    return result.stdout.splitlines()


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_test_passes_pytest_args_through():
    commands = make_dry_run("test", "PYTEST_ARGS=-k sentinel_expression")
    pytest_lines = [i for i, line in enumerate(commands) if re.search(r"^\s*\.venv/bin/pytest ", line)]
    assert len(pytest_lines) == 2, commands
    parallel, serial = (commands[i] for i in pytest_lines)
    # Both passes get PYTEST_ARGS last, so a flag there (-n 0, -x, -k, -m) overrides the defaults.
    assert "--tier=parallel -n 2" in parallel and "--tier=serial" in serial and " -n " not in serial
    for line in (parallel, serial):
        assert re.search(r"-k sentinel_expression \|\| (parallel|serial)=\$\?; \\$", line), line
    order = [
        next(i for i, line in enumerate(commands) if marker in line)
        for marker in ("ruff check .", "ruff format --check .", "makemigrations --check --dry-run")
    ]
    assert order == sorted(order) and order[-1] < pytest_lines[0]


@pytest.mark.skipif(shutil.which("make") is None, reason="no make")
def test_make_test_keeps_the_test_database_locally_but_not_in_ci():
    local = [line for line in make_dry_run("test") if ".venv/bin/pytest" in line]
    ci = [line for line in make_dry_run("test", "CI=true") if ".venv/bin/pytest" in line]
    assert all("--reuse-db" in line for line in local) and not any("--reuse-db" in line for line in ci)


def _pins(lock_name: str) -> dict[str, str]:
    """name → version of every `name==version` line of a pip-compile lock file (names normalised)."""
    pins = {}
    for name, version in re.findall(r"^([A-Za-z0-9._-]+)==(\S+)", read(lock_name), re.MULTILINE):
        pins[re.sub(r"[-_.]+", "-", name).lower()] = version
    return pins


def _pyproject_pins() -> tuple[dict[str, str], dict[str, str]]:
    project = tomllib.loads(read("pyproject.toml"))["project"]

    def pins(requirements: list[str]) -> dict[str, str]:
        found = {}
        for requirement in requirements:
            match = re.fullmatch(r"([A-Za-z0-9._-]+)(?:\[[^\]]*\])?==([^;\s]+)", requirement.strip())
            assert match, f"pyproject.toml pins every dependency with ==: {requirement}"
            found[re.sub(r"[-_.]+", "-", match[1]).lower()] = match[2]
        return found

    return pins(project["dependencies"]), pins(project["optional-dependencies"]["dev"])


def test_lock_files_pin_what_pyproject_asks_for():
    """After a change to pyproject.toml's dependencies, `make lock` must be run (and both locks committed)."""
    runtime, dev = _pyproject_pins()
    runtime_lock, dev_lock = _pins("requirements.lock"), _pins("requirements-dev.lock")
    stale = {name: version for name, version in {**runtime, **dev}.items() if dev_lock.get(name) != version}
    assert stale == {}, f"requirements-dev.lock lacks {stale}: run `make lock`"
    stale = {name: version for name, version in runtime.items() if runtime_lock.get(name) != version}
    assert stale == {}, f"requirements.lock lacks {stale}: run `make lock`"
    # The runtime lock is the dev lock's runtime part: same versions, nothing of its own.
    assert {name: dev_lock.get(name) for name in runtime_lock} == runtime_lock
    assert "pytest" not in runtime_lock


def test_lock_files_carry_a_hash_for_every_pin():
    for lock_name in ("requirements.lock", "requirements-dev.lock"):
        entries = re.split(r"^(?=[A-Za-z0-9])", read(lock_name), flags=re.MULTILINE)
        pinned = [entry for entry in entries if "==" in entry.split("\n", 1)[0]]
        assert pinned, lock_name
        for entry in pinned:
            assert "--hash=sha256:" in entry, entry.split("\n", 1)[0]
        assert "--index-url" not in read(lock_name) and "--find-links" not in read(lock_name)


def test_install_and_image_install_from_the_locks():
    makefile = read("Makefile")
    assert re.search(r"^\$\(PY_STAMP\): \$\(LOCK_DEV\)", makefile, re.MULTILINE)
    assert "LOCK_DEV := requirements-dev.lock" in makefile
    assert "$(PIP) install --require-hashes -r $(LOCK_DEV)" in makefile
    assert "pip install -e" not in makefile
    dockerfile = " ".join(code_lines(read("Dockerfile")))
    assert "pip install --require-hashes -r /tmp/requirements.lock" in dockerfile
    assert "COPY pyproject.toml" not in dockerfile


def test_makefile_has_the_documented_targets():
    targets = set(re.findall(r"^([a-z][a-z-]*):", read("Makefile"), re.MULTILINE))
    expected = {"install", "lock", "run", "test", "lint", "fmt", "migrations-check", "worker", "beat", "bench"}
    assert expected | {"up", "down", "screenshots"} <= targets


# --- More than one machine (issue 14, docs/DEPLOYMENT.md) -----------------------------------------------------

SCALABLE = ("web", "worker")


def test_web_and_worker_can_run_as_many_containers(compose):
    """`docker compose up --scale web=N --scale worker=N`: a scaled service may not fix a container name or
    publish a host port (the second container could not take it)."""
    services = compose["services"]
    for name in SCALABLE:
        assert "container_name" not in services[name], name
        assert "ports" not in services[name], name
    # Two web replicas unless WEB_REPLICAS says otherwise.
    replicas = re.fullmatch(r"\$\{WEB_REPLICAS:-(\d+)\}", str(services["web"]["deploy"]["replicas"]))
    assert replicas and int(replicas[1]) >= 2
    assert services["web"]["expose"] == ["8000"]


def test_one_reverse_proxy_in_front_of_the_web_replicas(compose):
    proxy = compose["services"]["proxy"]
    assert proxy["image"].startswith("nginx:")
    assert any(str(port).endswith(":80") for port in proxy["ports"])
    mounts = [volume.split(":") for volume in proxy["volumes"]]
    assert ["./deploy/nginx.conf", "/etc/nginx/conf.d/default.conf", "ro"] in mounts
    conf = read("deploy/nginx.conf")
    # Looked up again at run time, so scaled-up replicas receive requests without an nginx reload.
    assert "resolver 127.0.0.11" in conf and "set $web http://web:8000;" in conf and "proxy_pass $web;" in conf
    for header in ("Host", "X-Forwarded-For", "X-Forwarded-Proto"):
        assert f"proxy_set_header {header} " in conf, header
    # Uploads of 10 MB pass the proxy.
    size = re.search(r"client_max_body_size (\d+)m;", conf)
    assert size and int(size[1]) >= 10
    # Django counts the proxy's hop when throttling logins by address.
    assert compose["services"]["web"]["environment"]["TRUSTED_PROXY_COUNT"].startswith("${TRUSTED_PROXY_COUNT:-1}")


def test_beat_and_migrations_run_once(compose):
    services = compose["services"]
    for name in ("beat", "migrate"):
        assert int(services[name].get("deploy", {}).get("replicas", 1)) == 1, name
    assert services["migrate"]["restart"] == "no"
    for name in APP_SERVICES:
        assert services[name]["depends_on"]["migrate"]["condition"] == "service_completed_successfully", name


def test_every_app_container_shares_state_outside_itself(compose):
    """Stateless web tier: database, broker, cache and sessions, and private files are shared services."""
    services = compose["services"]
    for name in (*APP_SERVICES, "migrate"):
        env = services[name]["environment"]
        assert env["CACHE_URL"].startswith("redis://redis:"), name
        assert env["CACHE_URL"] != env["CELERY_BROKER_URL"], name
        assert "private_media:/data/private_media" in services[name]["volumes"], name
        assert env["PRIVATE_MEDIA_ROOT"] == "/data/private_media", name
    assert "private_media" in compose["volumes"]


def test_optional_minio_for_s3_storage(compose):
    services = compose["services"]
    assert services["minio"]["profiles"] == ["s3"] and services["minio-bucket"]["profiles"] == ["s3"]
    assert "mc mb --ignore-existing" in " ".join(services["minio-bucket"]["entrypoint"])
    for name in ("minio", "minio-bucket"):
        assert ":latest" not in services[name]["image"], name


def test_makefile_backup_and_restore_targets():
    makefile = read("Makefile")
    assert re.search(r"^backup:", makefile, re.MULTILINE) and "manage.py backup" in makefile
    assert re.search(r"^restore:", makefile, re.MULTILINE) and "manage.py restore" in makefile


def test_deployment_doc_covers_replicas_backup_and_restore():
    doc = read("docs/DEPLOYMENT.md")
    for words in (
        "--scale worker=",
        "--scale web=",
        "pg_dump",
        "pg_restore",
        "SECRET_KEY",
        "CACHE_URL",
        "STORAGE_BACKEND",
    ):
        assert words in doc, words
    assert "DEPLOYMENT.md" in read("README.md")


def test_private_files_are_reached_only_through_the_storage_api():
    """A bucket has no filesystem paths: no app code asks a stored file for `.path` or builds one from
    MEDIA_ROOT / PRIVATE_MEDIA_ROOT (settings.py alone names them)."""
    apps = [p for p in ROOT.iterdir() if (p / "apps.py").exists() or p.name == "suzhou_sw"]
    offenders = []
    for app in apps:
        for source in app.rglob("*.py"):
            if "migrations" in source.parts or source.name == "settings.py":
                continue
            for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
                code = line.split("#", 1)[0]
                if re.search(r"\bsettings\.(?:PRIVATE_)?MEDIA_ROOT\b|\bdefault_storage\.path\b", code) or (
                    re.search(r"\.(?:file|attachment|[a-z_]+_file|certificate|report)\.path\b", code)
                ):
                    offenders.append(f"{source.relative_to(ROOT)}:{number}: {line.strip()}")
    assert apps and offenders == []

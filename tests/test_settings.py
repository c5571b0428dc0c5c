"""Settings read from the environment: embedded defaults, PostgreSQL/Redis switches, production checks."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7#kq9!vR2p$Lm4@Zt8^Wc1&Yb6*Hn3(Jd5)Fg0-Sa9_Qe2+Ur7=Io4~Pl1",
    "ALLOWED_HOSTS": "sw.suzhou.example",
}


def _clean_env() -> dict:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set while the browser tests run; it must never reach a deployment.
    dropped = {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ENV", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    return {k: v for k, v in os.environ.items() if k not in dropped}


def _run(code: str, env: dict) -> subprocess.CompletedProcess:
    base = _clean_env()
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_SETTINGS_MODULE": "suzhou_sw.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


SHOW = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ, s.DEBUG)"
)


def test_no_environment_means_sqlite_and_in_process_celery():
    out = _run(SHOW, {}).stdout.split()
    assert out == ["django.db.backends.sqlite3", "True", "zh-hans", "Asia/Shanghai", "True", "False"]


def test_database_url_and_broker_switch_to_postgres_and_redis():
    out = _run(
        SHOW,
        {
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/x",
            "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        },
    ).stdout.split()
    assert out[:2] == ["django.db.backends.postgresql", "False"]


def test_production_refuses_the_dev_secret_key():
    result = _run(SHOW, {**PROD_ENV, "SECRET_KEY": "dev-only-insecure-key-do-not-use-in-production"})
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_production_passes_check_deploy():
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env={**_clean_env(), **PROD_ENV},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout

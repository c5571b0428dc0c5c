"""Settings read from the environment: embedded defaults, PostgreSQL/Redis switches, production checks."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PROD_ENV = {
    "DJANGO_ENV": "production",
    "SECRET_KEY": "x7#kq9!vR2p$Lm4@Zt8^Wc1&Yb6*Hn3(Jd5)Fg0-Sa9_Qe2+Ur7=Io4~Pl1",
    "ALLOWED_HOSTS": "sw.suzhou.example",
}


def _clean_env() -> dict:
    # DJANGO_ALLOW_ASYNC_UNSAFE is set while the browser tests run; it must never reach a deployment.
    dropped = {"DATABASE_URL", "CELERY_BROKER_URL", "DJANGO_ENV", "SECRET_KEY", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    dropped |= {"CACHE_URL", "STORAGE_BACKEND", "AWS_STORAGE_BUCKET_NAME", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"}
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


# --- More than one machine (issue 14, docs/DEPLOYMENT.md) -----------------------------------------------------

SHOW_SHARED = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.CACHES['default']['BACKEND'], s.SESSION_ENGINE, s.STORAGES['default']['BACKEND'])"
)


def test_without_environment_the_cache_is_in_process_sessions_in_the_database_files_on_disk():
    out = _run(SHOW_SHARED, {}).stdout.split()
    assert out == [
        "django.core.cache.backends.locmem.LocMemCache",
        "django.contrib.sessions.backends.db",
        "django.core.files.storage.FileSystemStorage",
    ]


def test_cache_url_shares_the_cache_and_sessions_through_redis():
    out = _run(SHOW_SHARED, {"CACHE_URL": "redis://127.0.0.1:6379/1"}).stdout.split()
    assert out[:2] == ["django.core.cache.backends.redis.RedisCache", "django.contrib.sessions.backends.cached_db"]


def test_storage_backend_s3_puts_private_files_in_a_private_bucket():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps(s.STORAGES['default']))"
    )
    result = _run(
        code,
        {
            "STORAGE_BACKEND": "s3",
            "AWS_STORAGE_BUCKET_NAME": "suzhou-sw-private",
            "AWS_S3_ENDPOINT_URL": "http://minio:9000",
            "AWS_S3_ADDRESSING_STYLE": "path",
        },
    )
    storage = json.loads(result.stdout)
    assert storage["BACKEND"] == "storages.backends.s3.S3Storage"
    options = storage["OPTIONS"]
    assert options["bucket_name"] == "suzhou-sw-private" and options["endpoint_url"] == "http://minio:9000"
    # No ACL on uploads (the bucket is private); buckets with ACLs disabled refuse a PUT that sets one.
    assert options["default_acl"] is None and options["file_overwrite"] is False
    assert options["addressing_style"] == "path"
    # Keys left unset: boto3 finds them itself (an instance role), never an empty string.
    assert options["access_key"] is None and options["secret_key"] is None


def test_wrong_storage_or_cache_settings_stop_the_start():
    for env, words in (
        ({"STORAGE_BACKEND": "s3"}, "AWS_STORAGE_BUCKET_NAME"),
        ({"STORAGE_BACKEND": "ftp"}, "STORAGE_BACKEND"),
        ({"CACHE_URL": "memcached://127.0.0.1:11211"}, "CACHE_URL"),
    ):
        result = _run(SHOW_SHARED, env)
        assert result.returncode != 0 and words in result.stderr, env


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (a real Redis)")
def test_two_processes_share_one_cache_through_redis():
    """Two web replicas are two processes: what one caches, the other reads (the city statistics, OCDS)."""
    import uuid

    env = {"CACHE_URL": os.environ["CELERY_BROKER_URL"], "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex}"}
    setup = "import django; django.setup(); from django.core.cache import cache; "
    first = _run(setup + "cache.set('shared', '苏州', 60); print('ok')", env)
    assert first.stdout.strip() == "ok", first.stderr
    second = _run(setup + "print(cache.get('shared')); cache.delete('shared')", env)
    assert second.stdout.strip() == "苏州", second.stderr

"""Celery: in-process by default; with CELERY_BROKER_URL a real worker answers through Redis."""

import os

import pytest

from suzhou_sw.celery import app, ping


def test_without_broker_tasks_run_in_process(settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True
    assert ping.delay().get(timeout=5) == "pong"


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (a real Redis)")
def test_real_worker_answers_through_redis():
    from celery.contrib.testing.worker import start_worker

    broker = os.environ["CELERY_BROKER_URL"]
    app.conf.update(
        broker_url=broker,
        result_backend=broker,
        task_always_eager=False,
        broker_connection_retry_on_startup=False,
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = ping.delay()
            assert result.get(timeout=20) == "pong"
    finally:
        app.conf.update(task_always_eager=True, result_backend=None)


# The periodic tasks are django-celery-beat rows made by a migration: tests/compliance/test_schedule.py.

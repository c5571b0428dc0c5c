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


def test_every_beat_entry_names_a_registered_task(settings):
    app.loader.import_default_modules()
    assert settings.CELERY_BEAT_SCHEDULE
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        assert entry["task"] in app.tasks, name


def test_a1_half_year_rounds_are_opened_on_1_january_and_1_july(settings):
    schedule = settings.CELERY_BEAT_SCHEDULE["evaluation-open-half-year-assessment-rounds"]["schedule"]
    assert schedule.month_of_year == {1, 7} and schedule.day_of_month == {1}

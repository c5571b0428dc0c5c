"""The sweep as a Celery task and as `manage.py run_compliance`; with CELERY_BROKER_URL, through a real worker."""

import io
import os

import pytest
from django.core.management import CommandError, call_command

from compliance.models import Finding
from compliance.tasks import sweep_task

from .city import TODAY, build_city


@pytest.fixture
def city(world, agency, round_2018, bureau):
    return build_city(2, district=world.district_a, agency=agency, round_=round_2018, user=bureau)


@pytest.mark.django_db
def test_sweep_task_returns_a_summary_per_rule_and_is_idempotent(city):
    summary = sweep_task.delay(rules=["K3", "K6"], date=TODAY.isoformat()).get(timeout=10)
    assert summary["K3"] == {"found": 24, "opened": 24, "closed": 0, "error": ""}
    assert summary["K6"]["opened"] == 2
    again = sweep_task(rules=["K3", "K6"], date=TODAY.isoformat())
    assert again["K3"] == {"found": 24, "opened": 0, "closed": 0, "error": ""}
    assert Finding.objects.count() == 26


@pytest.mark.django_db
def test_sweep_task_logs_a_failing_check_and_goes_on(city, monkeypatch, caplog):
    from compliance import checks

    def broken(*, today):
        raise RuntimeError("boom")

    monkeypatch.setitem(checks.CHECKS, "K1", broken)
    summary = sweep_task(rules=["K1", "K3"], date=TODAY.isoformat())
    assert "boom" in summary["K1"]["error"] and summary["K3"]["opened"] == 24
    assert "K1" in caplog.text


@pytest.mark.django_db
def test_run_compliance_prints_a_summary_per_rule(city):
    out = io.StringIO()
    call_command("run_compliance", "--rule", "K3", "--rule", "k6", "--date", TODAY.isoformat(), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].split() == ["rule", "found", "opened", "closed", "error"]
    assert lines[1].split() == ["K3", "24", "24", "0"]
    assert lines[2].split() == ["K6", "2", "2", "0"]


@pytest.mark.django_db
def test_run_compliance_refuses_unknown_rules_and_bad_dates():
    with pytest.raises(CommandError, match="K99"):
        call_command("run_compliance", "--rule", "K99")
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        call_command("run_compliance", "--date", "2026-13-01")


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("CELERY_BROKER_URL"), reason="needs CELERY_BROKER_URL (a real Redis)")
@pytest.mark.django_db(transaction=True)
def test_sweep_task_through_the_broker_and_a_real_worker(city):
    from celery.contrib.testing.worker import start_worker

    from suzhou_sw.celery import app

    broker = os.environ["CELERY_BROKER_URL"]
    app.conf.update(
        broker_url=broker,
        result_backend=broker,
        task_always_eager=False,
        broker_connection_retry_on_startup=False,
    )
    try:
        with start_worker(app, pool="solo", perform_ping_check=False, shutdown_timeout=10):
            result = sweep_task.delay(rules=["K3", "K6"], date=TODAY.isoformat())
            summary = result.get(timeout=60)
    finally:
        app.conf.update(task_always_eager=True, result_backend=None)
    assert summary["K3"]["opened"] == 24
    assert Finding.objects.filter(rule="K3", closed_at__isnull=True).count() == 24
    assert Finding.objects.filter(rule="K6").count() == 2

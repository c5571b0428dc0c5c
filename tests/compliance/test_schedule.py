"""The schedule is django-celery-beat rows (the admin's 周期性任务) made by compliance's data migration, crontabs
in Asia/Shanghai; every entry names a registered Celery task."""

import pytest
from django_celery_beat.models import PeriodicTask

from suzhou_sw.celery import app

pytestmark = pytest.mark.django_db

# task → (minute, hour, day_of_month, month_of_year, day_of_week)
EXPECTED = {
    "procurement.tenders_close_due_task": ("*/10", "*", "*", "*", "*"),
    "evaluation.assessment_rounds_open_due_task": ("30", "1", "1", "1,7", "*"),
    "compliance.sweep_task": ("0", "2", "*", "*", "*"),
    "evaluation.spot_checks_draw_task": ("0", "3", "15", "1", "*"),
    "notifications.digest_send_task": ("30", "7", "*", "*", "*"),
    "procurement.reminders_send_task": ("0", "7", "*", "*", "*"),
    "delivery.reminders_send_task": ("0", "7", "*", "*", "*"),
}


def test_migration_creates_every_periodic_task_with_its_crontab_in_shanghai_time():
    tasks = {t.task: t for t in PeriodicTask.objects.select_related("crontab")}
    assert set(EXPECTED) <= set(tasks)
    for name, cron in EXPECTED.items():
        entry = tasks[name]
        assert entry.enabled, name
        c = entry.crontab
        assert (c.minute, c.hour, c.day_of_month, c.month_of_year, c.day_of_week) == cron, name
        assert str(c.timezone) == "Asia/Shanghai", name


def test_a1_half_year_rounds_are_opened_on_1_january_and_1_july():
    schedule = PeriodicTask.objects.get(task="evaluation.assessment_rounds_open_due_task").crontab.schedule
    assert schedule.month_of_year == {1, 7} and schedule.day_of_month == {1}


def test_migration_is_idempotent_and_keeps_what_the_bureau_changed():
    from importlib import import_module

    from django.apps import apps

    migration = import_module("compliance.migrations.0002_beat_schedule")
    entry = PeriodicTask.objects.get(task="compliance.sweep_task")
    entry.enabled = False
    entry.save()
    count = PeriodicTask.objects.count()
    migration.create(apps, None)
    assert PeriodicTask.objects.count() == count
    assert not PeriodicTask.objects.get(task="compliance.sweep_task").enabled
    migration.delete(apps, None)
    assert not PeriodicTask.objects.filter(task__in=list(EXPECTED)).exists()


@pytest.mark.xfail(
    strict=False,
    reason="tasks land from other branches (spot-check draw, digest, reminders); the lead un-xfails after merging",
)
def test_every_periodic_task_names_a_registered_celery_task():
    app.loader.import_default_modules()
    names = list(PeriodicTask.objects.exclude(task="celery.backend_cleanup").values_list("task", flat=True))
    assert names
    missing = [n for n in names if n not in app.tasks]
    assert not missing, missing


def test_the_tasks_of_this_branch_are_registered():
    app.loader.import_default_modules()
    for name in (
        "procurement.tenders_close_due_task",
        "evaluation.assessment_rounds_open_due_task",
        "compliance.sweep_task",
    ):
        assert name in app.tasks

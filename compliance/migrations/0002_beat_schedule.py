"""Every periodic task as a django-celery-beat entry (周期性任务 in the admin), so the bureau sees and changes
the times there; this replaces settings.CELERY_BEAT_SCHEDULE. Crontabs run in Asia/Shanghai. Idempotent: an
entry that exists (by name) is left as the bureau set it; reversing deletes the entries."""

from django.db import migrations

TZ = "Asia/Shanghai"

# name → (task, description, crontab: minute, hour, day_of_month, month_of_year, day_of_week)
SCHEDULE = {
    "procurement-close-tenders-past-deadline": (
        "procurement.tenders_close_due_task",
        "T2/T5：投标截止后关闭招标并进行资格审查（每10分钟）",
        ("*/10", "*", "*", "*", "*"),
    ),
    "evaluation-open-half-year-assessment-rounds": (
        "evaluation.assessment_rounds_open_due_task",
        "A1：为执行中的项目包开启半年度双向考核（1月1日、7月1日 01:30）",
        ("30", "1", "1", "1,7", "*"),
    ),
    "compliance-nightly-sweep": (
        "compliance.sweep_task",
        "K1–K10：夜间合规检查（每天 02:00）",
        ("0", "2", "*", "*", "*"),
    ),
    "evaluation-yearly-spot-check-draw": (
        "evaluation.spot_checks_draw_task",
        "K10：年度抽查评估抽取（每年1月15日 03:00）",
        ("0", "3", "15", "1", "*"),
    ),
    "notifications-daily-digest": (
        "notifications.digest_send_task",
        "每日邮件摘要（每天 07:30）",
        ("30", "7", "*", "*", "*"),
    ),
    "procurement-daily-reminders": (
        "procurement.reminders_send_task",
        "招标截止、资质到期提醒（每天 07:00）",
        ("0", "7", "*", "*", "*"),
    ),
    "delivery-daily-reminders": (
        "delivery.reminders_send_task",
        "月度报告到期、计划待审核提醒（每天 07:00）",
        ("0", "7", "*", "*", "*"),
    ),
}


def create(apps, schema_editor):
    CrontabSchedule = apps.get_model("django_celery_beat", "CrontabSchedule")
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    for name, (task, description, (minute, hour, day_of_month, month_of_year, day_of_week)) in SCHEDULE.items():
        crontab = CrontabSchedule.objects.filter(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
            timezone=TZ,
        ).first() or CrontabSchedule.objects.create(
            minute=minute,
            hour=hour,
            day_of_month=day_of_month,
            month_of_year=month_of_year,
            day_of_week=day_of_week,
            timezone=TZ,
        )
        PeriodicTask.objects.get_or_create(
            name=name, defaults={"task": task, "crontab": crontab, "description": description, "enabled": True}
        )


def delete(apps, schema_editor):
    PeriodicTask = apps.get_model("django_celery_beat", "PeriodicTask")
    PeriodicTask.objects.filter(name__in=list(SCHEDULE)).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("compliance", "0001_initial"),
        ("django_celery_beat", "0019_alter_periodictasks_options"),
    ]

    operations = [migrations.RunPython(create, delete)]

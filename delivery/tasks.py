"""Background work of delivery (STYLE.md): tasks take dates, call one service and are safe to run twice."""

import datetime

from celery import shared_task

from .notify import reminders_send


@shared_task(name="delivery.reminders_send_task")
def reminders_send_task(on: str | None = None) -> dict:
    """Daily S1 reminders: monthly reports due within NOTIFY_REPORT_DUE_DAYS days and overdue ones → the
    package's agency members. Safe to run twice: a reminder already given (same month and due date) is not
    given again."""
    return {"offered": reminders_send(today=datetime.date.fromisoformat(on) if on else None)}

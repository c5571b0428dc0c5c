"""Background work of notifications (STYLE.md): tasks take dates, call one service and are safe to run twice."""

import datetime

from celery import shared_task

from .services import digest_send


@shared_task(name="notifications.digest_send_task")
def digest_send_task(day: str | None = None) -> dict:
    """The daily email digest: at most one email per person per day (the `DigestSent` row decides), so running
    it twice, or on two workers, sends nothing twice."""
    return {"sent": digest_send(day=datetime.date.fromisoformat(day) if day else None)}

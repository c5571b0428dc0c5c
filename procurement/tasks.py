"""Background work of procurement (STYLE.md): tasks take ids or dates, re-read rows and call one service."""

import datetime

from celery import shared_task

from .notify import reminders_send
from .services.tenders import tenders_close_due


@shared_task(name="procurement.tenders_close_due_task")
def tenders_close_due_task() -> dict:
    """T2: end bidding on every published tender whose deadline has passed, and run the T5 checks (bid
    opening), so the bureau's and the experts' lists are right even if nobody opened the tender. Safe to run
    at any time and twice."""
    return {"closed": tenders_close_due()}


@shared_task(name="procurement.reminders_send_task")
def reminders_send_task(on: str | None = None) -> dict:
    """Daily: tender deadlines within 3 days (→ the bureau) and Q5 expiries within 60 days (→ agency managers).
    Safe to run twice: a reminder already given (same subject and date) is not given again."""
    return {"offered": reminders_send(today=datetime.date.fromisoformat(on) if on else None)}

"""Background work of procurement (STYLE.md): tasks take ids or dates, re-read rows and call one service."""

from celery import shared_task

from .services.tenders import tenders_close_due


@shared_task(name="procurement.tenders_close_due_task")
def tenders_close_due_task() -> dict:
    """T2: end bidding on every published tender whose deadline has passed, and run the T5 checks (bid
    opening), so the bureau's and the experts' lists are right even if nobody opened the tender. Safe to run
    at any time and twice."""
    return {"closed": tenders_close_due()}

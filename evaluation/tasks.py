"""Background work of evaluation (STYLE.md): tasks take ids or dates, re-read rows and call one service."""

import datetime

from celery import shared_task

from core.actors import SYSTEM

from .services.assessments import assessment_rounds_open_due


@shared_task(name="evaluation.assessment_rounds_open_due_task")
def assessment_rounds_open_due_task(on: str | None = None) -> dict:
    """A1's half-year schedule (run it from Celery beat on 1 January and 1 July). Safe to run twice: a package
    that already has the half-year's round is skipped."""
    day = datetime.date.fromisoformat(on) if on else None
    opened, skipped = assessment_rounds_open_due(actor=SYSTEM, on=day)
    return {"opened": [r.pk for r in opened], "skipped": skipped}

"""Background work of evaluation (STYLE.md): tasks take ids or dates, re-read rows and call one service."""

import datetime

from celery import shared_task
from django.core.exceptions import ValidationError
from django.utils import timezone

from core.actors import SYSTEM

from .models import SpotCheckDraw
from .services.assessments import assessment_rounds_open_due
from .services.spot_checks import spot_check_draw


@shared_task(name="evaluation.assessment_rounds_open_due_task")
def assessment_rounds_open_due_task(on: str | None = None) -> dict:
    """A1's half-year schedule (run it from Celery beat on 1 January and 1 July). Safe to run twice: a package
    that already has the half-year's round is skipped."""
    day = datetime.date.fromisoformat(on) if on else None
    opened, skipped = assessment_rounds_open_due(actor=SYSTEM, on=day)
    return {"opened": [r.pk for r in opened], "skipped": skipped}


@shared_task(name="evaluation.spot_checks_draw_task")
def spot_checks_draw_task(year: int | None = None) -> dict:
    """K10's yearly draw (run it from Celery beat early in the year), as the system with the configured share
    and a fresh recorded seed. Safe to run twice: when the year's draw exists it does nothing."""
    year = year or timezone.localdate().year
    if SpotCheckDraw.objects.filter(year=year).exists():
        return {"year": year, "drawn": False}
    try:
        draw = spot_check_draw(actor=SYSTEM, year=year)
    except ValidationError:
        if SpotCheckDraw.objects.filter(year=year).exists():
            return {"year": year, "drawn": False}  # another worker drew it meanwhile
        raise
    return {"year": year, "drawn": True, "draw": draw.pk, "picks": draw.picks.count()}

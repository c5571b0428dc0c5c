"""Background work of reporting (STYLE.md): tasks take ids, re-read rows and call one service."""

from celery import shared_task

from .services import report_render


@shared_task(name="reporting.render_report_task")
def render_report_task(report_id: int) -> str | None:
    """Render a queued PDF report. Safe to run twice: only the run that moves it from queued to rendering works."""
    report = report_render(report_id=report_id)
    return None if report is None else report.status

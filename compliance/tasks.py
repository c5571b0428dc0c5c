"""Background work of compliance (STYLE.md): the nightly sweep, thin and idempotent."""

from __future__ import annotations

import datetime
import logging

from celery import shared_task

from .services import sweep

log = logging.getLogger(__name__)


@shared_task(name="compliance.sweep_task")
def sweep_task(rules: list[str] | None = None, date: str | None = None) -> dict:
    """K1–K10: run every check (or `rules`) on `date` (ISO, default today in Shanghai) and sync its findings.
    Safe to run twice and at the same time as another sweep (K8: each rule's sync queues on its CheckRun row);
    a check that fails is logged and recorded on its CheckRun, the others still run."""
    today = datetime.date.fromisoformat(date) if date else None
    results = sweep(today=today, rules=rules)
    summary = {r.rule: {"found": r.found, "opened": r.opened, "closed": r.closed, "error": r.error} for r in results}
    failed = [r.rule for r in results if r.error]
    if failed:
        log.warning("compliance sweep: checks failed: %s", ", ".join(failed))
    return summary

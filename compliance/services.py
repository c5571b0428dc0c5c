"""Writes of the compliance app. The sweep (`sweep`) runs every registered check and `findings_sync` turns
what a check found into findings: K8 — one row per rule × subject, updated on re-run, closed when the condition
clears, reopened when it comes back. Two sweeps at once queue on the rule's `CheckRun` row, so they leave the
findings of one."""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .checks import Found, registered, run_check
from .models import CheckRun, Finding, FindingEvent
from .notify import findings_notify, findings_settle

log = logging.getLogger(__name__)

SYNCED_FIELDS = (
    "severity",
    "message",
    "details",
    "url",
    "organisation_id",
    "district_id",
    "town_id",
    "community_id",
    "package_id",
)


@dataclass
class SyncResult:
    rule: str
    found: int = 0
    opened: int = 0  # new findings and reopened ones
    updated: int = 0
    closed: int = 0
    error: str = ""
    new_ids: tuple[int, ...] = ()
    closed_ids: tuple[int, ...] = ()


def _fields(item: Found) -> dict:
    return {name: getattr(item, name) for name in SYNCED_FIELDS}


@transaction.atomic
def findings_sync(*, rule: str, found: list[Found], now: datetime.datetime | None = None) -> SyncResult:
    """Make the findings of `rule` match `found`, in a fixed number of queries whatever its size.

    New subjects are opened, known ones updated (a waived or answered finding keeps its status while its
    condition holds), findings whose condition cleared are closed, closed ones that came back are reopened."""
    now = now or timezone.now()
    run, _ = CheckRun.objects.get_or_create(rule=rule)
    run = CheckRun.objects.select_for_update().get(pk=run.pk)  # queue concurrent sweeps of this rule
    by_key = {item.subject_key: item for item in found}
    existing = {
        finding.subject_key: finding
        for finding in Finding.objects.filter(rule=rule).filter(
            Q(closed_at__isnull=True) | Q(subject_key__in=list(by_key))
        )
    }
    result = SyncResult(rule=rule, found=len(by_key))
    to_create: list[Finding] = []
    to_update: list[Finding] = []
    events: list[FindingEvent] = []
    for key, item in by_key.items():
        finding = existing.get(key)
        if finding is None:
            to_create.append(Finding(rule=rule, subject_key=key, first_seen_at=now, last_seen_at=now, **_fields(item)))
            continue
        for name, value in _fields(item).items():
            setattr(finding, name, value)
        finding.last_seen_at = now
        if finding.status == Finding.Status.CLOSED:
            finding.status = Finding.Status.OPEN
            finding.closed_at = None
            events.append(FindingEvent(finding=finding, kind=FindingEvent.Kind.REOPENED))
            result.opened += 1
        else:
            result.updated += 1
        to_update.append(finding)
    cleared = [
        finding
        for key, finding in existing.items()
        if key not in by_key and finding.status in (Finding.Status.OPEN, Finding.Status.RESPONDED)
    ]
    for finding in cleared:
        finding.status = Finding.Status.CLOSED
        finding.closed_at = now
        events.append(FindingEvent(finding=finding, kind=FindingEvent.Kind.CLOSED))
        to_update.append(finding)
    if to_create:
        # ignore_conflicts: on a database without row locks (SQLite) a concurrent sweep may have inserted
        # the same subject first; the unique constraint keeps one row either way.
        Finding.objects.bulk_create(to_create, ignore_conflicts=True)
        created = Finding.objects.filter(
            rule=rule, subject_key__in=[f.subject_key for f in to_create], first_seen_at=now
        )
        new = list(created.only("id"))
        result.new_ids = tuple(f.pk for f in new)
        events.extend(FindingEvent(finding_id=f.pk, kind=FindingEvent.Kind.OPENED) for f in new)
        result.opened += len(new)
    if to_update:
        Finding.objects.bulk_update(to_update, [*SYNCED_FIELDS, "last_seen_at", "status", "closed_at"], batch_size=500)
    if events:
        FindingEvent.objects.bulk_create(events)
    result.closed = len(cleared)
    result.closed_ids = tuple(f.pk for f in cleared)
    run.started_at = now
    run.finished_at = timezone.now()
    run.found, run.opened, run.closed, run.error = result.found, result.opened, result.closed, ""
    run.save(update_fields=["started_at", "finished_at", "found", "opened", "closed", "error"])
    return result


def sweep(*, today: datetime.date | None = None, rules: list[str] | None = None) -> list[SyncResult]:
    """Run every registered check (or `rules`) and sync its findings. A check that fails is logged and recorded
    on its `CheckRun`; the others still run."""
    today = today or timezone.localdate()
    results: list[SyncResult] = []
    for rule, _check in registered().items():
        if rules and rule not in rules:
            continue
        try:
            found = run_check(rule, today=today)
            results.append(findings_sync(rule=rule, found=found))
            findings_notify(results[-1].new_ids)  # K8: new findings tell the responsible people
            findings_settle(results[-1].closed_ids)  # cleared ones no longer ring anybody's bell
        except Exception as exc:  # one broken check must not stop the others
            log.exception("compliance check %s failed", rule)
            CheckRun.objects.update_or_create(
                rule=rule, defaults={"error": repr(exc)[:2000], "finished_at": timezone.now()}
            )
            results.append(SyncResult(rule=rule, error=repr(exc)))
    return results

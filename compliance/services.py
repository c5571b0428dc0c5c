"""Writes of the compliance app. The sweep (`sweep`) runs every registered check and `findings_sync` turns
what a check found into findings: K8 — one row per rule × subject, updated on re-run, closed when the condition
clears, reopened when it comes back. Two sweeps at once queue on the rule's `CheckRun` row, so they leave the
findings of one."""

from __future__ import annotations

import datetime
import logging
import os
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from core.limits import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from core.uploads import EXTENSIONS, sniff_upload
from directory.permissions import is_bureau_admin

from .checks import Found, registered, run_check
from .models import CheckRun, Finding, FindingEvent
from .notify import findings_notify, findings_renotify, findings_settle
from .permissions import is_finding_responder

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
    reopened_ids: tuple[int, ...] = ()
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
        # Locked: an answer or a waiver committed meanwhile is read, not overwritten by the bulk update below.
        for finding in Finding.objects.select_for_update()
        .filter(rule=rule)
        .filter(Q(closed_at__isnull=True) | Q(subject_key__in=list(by_key)))
    }
    result = SyncResult(rule=rule, found=len(by_key))
    to_create: list[Finding] = []
    to_update: list[Finding] = []
    seen_again: list[Finding] = []
    reopened: list[int] = []
    events: list[FindingEvent] = []
    for key, item in by_key.items():
        finding = existing.get(key)
        if finding is None:
            to_create.append(Finding(rule=rule, subject_key=key, first_seen_at=now, last_seen_at=now, **_fields(item)))
            continue
        fields = _fields(item)
        changed = any(getattr(finding, name) != value for name, value in fields.items())
        for name, value in fields.items():
            setattr(finding, name, value)
        finding.last_seen_at = now
        if finding.status == Finding.Status.CLOSED:
            finding.status = Finding.Status.OPEN
            finding.closed_at = None
            events.append(FindingEvent(finding=finding, kind=FindingEvent.Kind.REOPENED))
            reopened.append(finding.pk)
            result.opened += 1
            changed = True
        else:
            result.updated += 1
        # Unchanged findings (most of them, night after night) only get their last-seen time, in one UPDATE.
        (to_update if changed else seen_again).append(finding)
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
    if seen_again:
        Finding.objects.filter(pk__in=[f.pk for f in seen_again]).update(last_seen_at=now)
    if to_update:
        Finding.objects.bulk_update(to_update, [*SYNCED_FIELDS, "last_seen_at", "status", "closed_at"], batch_size=500)
    if events:
        FindingEvent.objects.bulk_create(events)
    result.closed = len(cleared)
    result.closed_ids = tuple(f.pk for f in cleared)
    result.reopened_ids = tuple(reopened)
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
            findings_renotify(results[-1].reopened_ids)  # and so do findings that came back after closing
            findings_settle(results[-1].closed_ids)  # cleared ones no longer ring anybody's bell
        except Exception as exc:  # one broken check must not stop the others
            log.exception("compliance check %s failed", rule)
            CheckRun.objects.update_or_create(
                rule=rule, defaults={"error": repr(exc)[:2000], "finished_at": timezone.now()}
            )
            results.append(SyncResult(rule=rule, error=repr(exc)))
    return results


# --- rectification (整改) and waivers: the people's side of K8 -------------------------------------------------


def _lock_answerable(finding: Finding) -> Finding:
    """The finding, re-read under a row lock; refused once it is waived or closed."""
    locked = Finding.objects.select_for_update().get(pk=finding.pk)
    if locked.status == Finding.Status.WAIVED:
        raise ValidationError(_("该问题已被豁免，不能再整改或豁免。"), code="waived")
    if locked.status == Finding.Status.CLOSED:
        raise ValidationError(_("该问题已消除（复查时已不存在），无需再整改或豁免。"), code="closed")
    return locked


@transaction.atomic
def finding_respond(*, actor, finding: Finding, text: str, attachment=None) -> Finding:
    """K8 整改: the responsible organisation says what it did, optionally with a file (JPG, PNG or PDF by content,
    at most 10 MB). The finding becomes "answered" (已整改待核实) and the answer joins its history; the next
    sweep closes it once its condition has cleared. A further answer to an answered finding adds to the history."""
    if not is_finding_responder(actor, finding):
        raise PermissionDenied(_("只有责任单位的人员可以提交整改说明。"))
    text = (text or "").strip()
    errors: dict[str, list[str]] = {}
    if not text:
        errors["text"] = [_("请填写整改说明：做了什么、何时完成。")]
    elif len(text) > TEXT_MAX_LENGTH:
        errors["text"] = [_("整改说明不能超过 %(n)d 个字。") % {"n": TEXT_MAX_LENGTH}]
    checked = None
    if attachment is not None:
        try:
            checked = sniff_upload(attachment, check_name=True)
        except ValidationError as exc:
            errors["attachment"] = exc.messages
    if errors:
        raise ValidationError(errors)
    locked = _lock_answerable(finding)
    if not is_finding_responder(actor, locked):  # the responsible organisation may have changed meanwhile
        raise PermissionDenied(_("只有责任单位的人员可以提交整改说明。"))
    event = FindingEvent(finding=locked, kind=FindingEvent.Kind.RESPONDED, actor=actor, text=text)
    if checked is not None:
        content_type, _size, sha256 = checked
        extension = EXTENSIONS[content_type]
        name = os.path.basename(getattr(attachment, "name", "") or "") or f"{sha256[:16]}.{extension}"
        event.attachment_name = name[-200:]
        event.attachment_content_type = content_type
        event.attachment.save(f"{sha256[:32]}.{extension}", attachment, save=False)
    event.full_clean()
    event.save()
    locked.status = Finding.Status.RESPONDED
    locked.save(update_fields=["status"])
    return locked


@transaction.atomic
def finding_waive(*, actor, finding: Finding, reason: str) -> Finding:
    """K8: the bureau waives an open or answered finding with a written reason, kept in its history; the
    notifications about it are settled. A waived finding stays waived while its condition holds (the sweep does
    not reopen it)."""
    if not is_bureau_admin(actor):
        raise PermissionDenied(_("只有民政局可以豁免合规问题。"))
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("请填写豁免理由，它将保留在处理记录中。")]})
    if len(reason) > NOTE_MAX_LENGTH:
        raise ValidationError({"reason": [_("豁免理由不能超过 %(n)d 个字。") % {"n": NOTE_MAX_LENGTH}]})
    locked = _lock_answerable(finding)
    FindingEvent.objects.create(finding=locked, kind=FindingEvent.Kind.WAIVED, actor=actor, text=reason)
    locked.status = Finding.Status.WAIVED
    locked.closed_at = timezone.now()
    locked.save(update_fields=["status", "closed_at"])
    findings_settle([locked.pk])  # nobody needs to act any more: the bells drop
    return locked

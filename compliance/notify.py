"""Who a new compliance finding tells (K8: "new findings notify the responsible people", in-app and, through
the daily digest, by email). Called by `services.sweep` with each rule's new finding ids."""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from directory.models import Membership, Role
from notifications.models import Notification
from notifications.services import Notice, notifications_revive, notifications_settle, notify_bulk

from .models import Finding
from .permissions import ACTING_ROLES

# The roles that act for an organisation when a finding names it: one definition with who may open and answer
# the finding (compliance.permissions), so whoever is told can read it.
RESPONSIBLE_ROLES = ACTING_ROLES


def subject_key(finding_id: int) -> str:
    return f"finding:{finding_id}"


def _url(finding: Finding) -> str:
    try:
        return reverse("compliance:finding-detail", args=[finding.pk])
    except NoReverseMatch:  # the compliance pages are not wired: link to the subject itself
        return finding.url


def _open_findings(ids: list[int]) -> list[Finding]:
    return list(
        Finding.objects.filter(pk__in=ids, closed_at__isnull=True).only("id", "rule", "message", "url", "organisation")
    )


def _recipients(findings: list[Finding]) -> dict[int, set[int]]:
    """{finding id: the users to tell}: the active members of each finding's responsible organisation (a finding
    naming no organisation is the bureau's to act on: its administrators). One query."""
    org_ids = {f.organisation_id for f in findings if f.organisation_id}
    whose = Q(organisation_id__in=org_ids)
    if any(f.organisation_id is None for f in findings):
        whose |= Q(role=Role.BUREAU_ADMIN)
    members: dict[int | None, set[int]] = {}
    for org_id, role, user_id in Membership.objects.filter(
        whose, is_active=True, organisation__is_active=True, user__is_active=True, role__in=RESPONSIBLE_ROLES
    ).values_list("organisation_id", "role", "user_id"):
        if org_id in org_ids:
            members.setdefault(org_id, set()).add(user_id)
        if role == Role.BUREAU_ADMIN:
            members.setdefault(None, set()).add(user_id)
    return {f.pk: members.get(f.organisation_id, set()) for f in findings}


def _notices(findings: list[Finding], recipients: dict[int, set[int]]):
    return (
        Notice(
            users=recipients[f.pk],
            kind=Notification.Kind.FINDING,
            subject_key=subject_key(f.pk),
            title=_("合规问题（%(rule)s %(label)s）：%(message)s")
            % {"rule": f.rule, "label": f.get_rule_display(), "message": f.message},
            url=_url(f),
            body=f.message,
        )
        for f in findings
    )


def findings_notify(finding_ids: Iterable[int]) -> int:
    """Tell the active members of each finding's responsible organisation about it (see `_recipients`). Closed
    and waived findings tell nobody. Three queries: the findings, the members, the insert. Idempotent: one
    notification per finding."""
    findings = _open_findings(list(finding_ids))
    if not findings:
        return 0
    return notify_bulk(_notices(findings, _recipients(findings)))


def findings_settle(finding_ids: Iterable[int]) -> int:
    """Findings closed or waived: their notifications are marked read for everyone, so the bells drop (one
    UPDATE). For the sweep (closed findings) and the waiver."""
    return notifications_settle(kind=Notification.Kind.FINDING, subject_keys=[subject_key(i) for i in finding_ids])


def findings_renotify(finding_ids: Iterable[int]) -> int:
    """Findings that came back after the sweep had closed them: the people responsible now are told again (their
    earlier notification unread and dated now) or for the first time; people told before who are no longer
    responsible (left the organisation, or the finding moved to another) are not. Four queries."""
    findings = _open_findings(list(finding_ids))
    if not findings:
        return 0
    recipients = _recipients(findings)
    revived = notifications_revive(
        kind=Notification.Kind.FINDING, users_by_subject={subject_key(f.pk): recipients[f.pk] for f in findings}
    )
    notify_bulk(_notices(findings, recipients))
    return revived

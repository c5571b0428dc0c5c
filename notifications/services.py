"""Writes of the notifications app: telling people (`notify`, `notify_bulk`), reading (`notification_mark_read`,
`notifications_mark_all_read`), the email switch (`preference_set`) and the daily digest (`digest_send`)."""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _

from .models import DigestSent, Notification, NotificationPreference

log = logging.getLogger(__name__)

DIGEST_MAX_ITEMS = 50  # listed in one email; the rest are counted and wait on the site


def safe_url(url: str) -> str:
    """A same-site relative path (`/delivery/reports/7/`), or "" for anything else: an absolute URL, a
    scheme-relative `//host`, a backslash trick. A notification never sends anyone off the site."""
    url = (url or "").strip()
    if not url.startswith("/") or url.startswith(("//", "/\\")):
        return ""
    if not url_has_allowed_host_and_scheme(url, allowed_hosts=None):
        return ""
    return url


@dataclass(frozen=True)
class Notice:
    """One thing to tell some users, for `notify_bulk`."""

    users: Iterable
    kind: str
    subject_key: str
    title: str
    url: str = ""
    body: str = ""


def _rows(notice: Notice) -> list[Notification]:
    url = safe_url(notice.url)
    return [
        Notification(
            user_id=user_id,
            kind=notice.kind,
            subject_key=notice.subject_key[:100],
            title=str(notice.title)[:200],
            url=url,
            body=str(notice.body),
        )
        for user_id in {getattr(u, "pk", u) for u in notice.users if u is not None}
        if user_id is not None
    ]


@transaction.atomic
def notify(*, users: Iterable, kind: str, subject_key: str, title: str, url: str = "", body: str = "") -> int:
    """Tell each of `users` about one subject. Idempotent: a user already told about this kind × subject is not
    told again (one INSERT … ON CONFLICT DO NOTHING, whatever the number of users). Returns how many rows were
    offered (not how many were new: databases do not all say). Only a same-site relative `url` is kept."""
    return notify_bulk([Notice(users=users, kind=kind, subject_key=subject_key, title=title, url=url, body=body)])


@transaction.atomic
def notify_bulk(notices: Iterable[Notice]) -> int:
    """`notify` for many subjects at once, in one INSERT per 500 rows (the reminder tasks tell hundreds of
    people about hundreds of subjects in a fixed number of queries)."""
    rows = [row for notice in notices for row in _rows(notice)]
    if rows:
        Notification.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)
    return len(rows)


def _own(actor, notification: Notification) -> None:
    if actor is None or not actor.is_authenticated or notification.user_id != actor.pk:
        raise PermissionDenied(_("这不是您的消息。"))


@transaction.atomic
def notification_mark_read(*, actor, notification: Notification) -> Notification:
    """Mark one of the actor's own notifications read (the first reading counts; a second changes nothing)."""
    _own(actor, notification)
    now = timezone.now()
    if Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=now):
        notification.read_at = now
    return notification


@transaction.atomic
def notifications_mark_all_read(*, actor) -> int:
    """Mark every unread notification of the actor read; returns how many."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    return Notification.objects.filter(user_id=actor.pk, read_at__isnull=True).update(read_at=timezone.now())


@transaction.atomic
def notification_mark_read_for(*, user, kind: str, subject_key: str) -> int:
    """A subject's page, opened by `user`, marks the user's notification about it read (e.g. the finding page):
    one UPDATE, nothing for an anonymous user."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(
        user_id=user.pk, kind=kind, subject_key=subject_key, read_at__isnull=True
    ).update(read_at=timezone.now())


@transaction.atomic
def notifications_settle(*, kind: str, subject_keys: Iterable[str]) -> int:
    """Subjects that no longer need anyone to act (a finding closed by the sweep, a report filed): mark every
    unread notification about them read, so the bells drop. One UPDATE; returns how many."""
    keys = list(subject_keys)
    if not keys:
        return 0
    return Notification.objects.filter(kind=kind, subject_key__in=keys, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def notifications_revive(*, kind: str, users_by_subject: dict[str, Iterable[int]]) -> int:
    """Subjects that need someone to act again (a finding that came back after it was closed): the notifications
    of the given users about them become unread and new again, dated now, and go out in the next digest. Other
    users' notifications about the same subjects stay as they are. One UPDATE; returns how many. Users without a
    notification about the subject yet get one from the caller's `notify_bulk`."""
    whose = Q()
    for key, users in users_by_subject.items():
        users = list(users)
        if users:
            whose |= Q(subject_key=key, user_id__in=users)
    if not whose:
        return 0
    return Notification.objects.filter(whose, kind=kind).update(
        read_at=None, emailed_at=None, created_at=timezone.now()
    )


@transaction.atomic
def preference_set(*, actor, email_digest: bool) -> NotificationPreference:
    """The actor switches its own daily email digest on or off."""
    if actor is None or not actor.is_authenticated:
        raise PermissionDenied(_("请先登录。"))
    preference, _created = NotificationPreference.objects.update_or_create(
        user_id=actor.pk, defaults={"email_digest": bool(email_digest)}
    )
    return preference


# --- the daily email digest -------------------------------------------------------------------------------


def _absolute(url: str) -> str:
    return settings.SITE_URL + (safe_url(url) or reverse("notifications:list"))


def _digest_message(user, notifications: list[Notification], day: datetime.date) -> EmailMultiAlternatives:
    shown = notifications[:DIGEST_MAX_ITEMS]
    context = {
        "user": user,
        "day": day,
        "items": [(n, _absolute(n.url)) for n in shown],
        "more": len(notifications) - len(shown),
        "total": len(notifications),
        "list_url": settings.SITE_URL + reverse("notifications:list"),
        "settings_url": settings.SITE_URL + reverse("notifications:settings"),
    }
    subject = _("苏州社工服务平台：您有 %(n)d 条未读消息（%(day)s）") % {
        "n": len(notifications),
        "day": day.isoformat(),
    }
    message = EmailMultiAlternatives(
        subject=subject,
        body=render_to_string("notifications/email/digest.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
    )
    message.attach_alternative(render_to_string("notifications/email/digest.html", context), "text/html")
    return message


def digest_send(*, day: datetime.date | None = None) -> int:
    """Send each person at most one email a day listing their unread notifications not yet emailed, then mark
    those emailed. Skipped: inactive users, users without an email address, users who switched the digest off,
    users already sent one on `day`. The `DigestSent(user, day)` row is claimed before sending, in the same
    transaction as the `emailed_at` marks, so a re-run or a second worker sends nothing twice; a failed send
    rolls the claim back and the next run tries again. Returns the number of emails sent."""
    day = day or timezone.localdate()
    pending = (
        Notification.objects.filter(read_at__isnull=True, emailed_at__isnull=True, user__is_active=True)
        .exclude(user__email="")
        .exclude(user__notification_preference__email_digest=False)
        .exclude(user__digests_sent__day=day)
        .select_related("user")
        .order_by("user_id", "-created_at", "-id")
    )
    by_user: dict[int, list[Notification]] = {}
    for notification in pending:
        by_user.setdefault(notification.user_id, []).append(notification)
    sent = 0
    with translation.override(settings.LANGUAGE_CODE):
        for user_id, notifications in by_user.items():
            user = notifications[0].user
            try:
                with transaction.atomic():
                    DigestSent.objects.create(user_id=user_id, day=day, notification_count=len(notifications))
                    Notification.objects.filter(pk__in=[n.pk for n in notifications], emailed_at__isnull=True).update(
                        emailed_at=timezone.now()
                    )
                    _digest_message(user, notifications, day).send()
            except IntegrityError:
                continue  # another worker sent this user's digest of the day first
            except Exception:  # one bad address or a mail server hiccup must not stop the others
                log.exception("notification digest to user %s failed", user_id)
                continue
            sent += 1
    return sent

"""Reads of the notifications app. A user sees only their own notifications: every read starts here."""

from __future__ import annotations

from django.db.models import Case, IntegerField, QuerySet, Value, When

from .models import Notification, NotificationPreference


def notification_list(*, user) -> QuerySet[Notification]:
    """The user's own notifications, unread first, then newest first (nothing for an anonymous user)."""
    if user is None or not user.is_authenticated:
        return Notification.objects.none()
    return (
        Notification.objects.filter(user_id=user.pk)
        .annotate(
            read_rank=Case(When(read_at__isnull=True, then=Value(0)), default=Value(1), output_field=IntegerField())
        )
        .order_by("read_rank", "-created_at", "-id")
    )


def unread_count(*, user) -> int:
    """How many of the user's notifications are unread: one COUNT query (0 and no query when anonymous)."""
    if user is None or not user.is_authenticated:
        return 0
    return Notification.objects.filter(user_id=user.pk, read_at__isnull=True).count()


def email_digest_on(*, user) -> bool:
    """Whether the user gets the daily email digest (on unless they switched it off)."""
    preference = NotificationPreference.objects.filter(user_id=user.pk).first()
    return preference is None or preference.email_digest

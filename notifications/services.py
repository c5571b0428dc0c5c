from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from .models import Notification


@transaction.atomic
def notify(*, users: Iterable, kind: str, subject_key: str, title: str, url: str = "", body: str = "") -> int:
    """Tell each of `users` about one subject. Idempotent: a user already told about this kind × subject is not
    told again (one INSERT … ON CONFLICT DO NOTHING, whatever the number of users). Returns how many rows were
    offered (not how many were new: databases do not all say)."""
    rows = [
        Notification(user_id=user_id, kind=kind, subject_key=subject_key, title=title[:200], url=url, body=body)
        for user_id in {getattr(u, "pk", u) for u in users if u is not None}
    ]
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    return len(rows)

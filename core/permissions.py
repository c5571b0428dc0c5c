"""One refusal helper for views and API views. `core` knows no app: the caller asks its app's `can_*`
predicate and passes the plain bool here."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied


def require(allowed: bool, message: str | None = None) -> None:
    """Refuse with 403 unless `allowed`. The row was fetched through a scoped getter first, so an outsider
    already got 404; this is for someone who sees the row but may not act on it. Fails closed: only a plain
    `True` passes (a truthy tuple or object is a bug in a predicate, not a permission)."""
    if allowed is not True:
        raise PermissionDenied(message) if message else PermissionDenied

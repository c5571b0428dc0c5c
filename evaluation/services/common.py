"""Helpers shared by the evaluation services: the bureau check and the validation of score entries."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import send_mail
from django.db import transaction
from django.utils.translation import gettext as _

from core.actors import SYSTEM
from directory.models import Membership, Role
from directory.permissions import is_bureau_admin

from ..scoring import is_half_step, plain


def require_bureau(actor, message: str | None = None, *, system_allowed: bool = True) -> None:
    """A bureau administrator, or — where `system_allowed` — the system itself (`core.actors.SYSTEM`: data
    loading, the half-year schedule). Some acts need a person on record and refuse SYSTEM. `None` is a caller
    that forgot the actor and is always refused."""
    if actor is SYSTEM and system_allowed:
        return
    if actor is None or actor is SYSTEM or not is_bureau_admin(actor):
        raise PermissionDenied(message or _("只有民政局管理员可以执行此操作。"))


def person(actor):
    """The user to record as having acted (None when the system acted)."""
    return None if actor is SYSTEM else actor


@dataclass(frozen=True)
class ScoreEntry:
    """What a rater or evaluator typed for one indicator: a score (None = not yet) and a comment."""

    score: Decimal | None = None
    comment: str = ""


def score_field(indicator_id: int) -> str:
    return f"score_{indicator_id}"


def comment_field(indicator_id: int) -> str:
    return f"comment_{indicator_id}"


def clean_entries(indicators: Mapping[int, object], entries: Mapping[int, ScoreEntry]) -> dict[int, ScoreEntry]:
    """Check entries against their indicators: known indicator, 0 ≤ score ≤ maximum, steps of 0.5 (A3).
    Errors are keyed `score_<indicator id>` so a form shows them next to the field and the API returns them
    as field errors; every message names the indicator."""
    errors: dict[str, list[str]] = {}
    cleaned: dict[int, ScoreEntry] = {}
    for indicator_id, entry in entries.items():
        indicator = indicators.get(indicator_id)
        if indicator is None:
            errors.setdefault("scores", []).append(_("指标 %(id)s 不属于这张表。") % {"id": indicator_id})
            continue
        score = entry.score
        if score is not None:
            try:
                score = Decimal(str(score))
            except (InvalidOperation, ValueError):
                errors[score_field(indicator_id)] = [_("“%(name)s”的分数不是数字。") % {"name": indicator.name_zh}]
                continue
            problem = score_problem(indicator, score)
            if problem:
                errors[score_field(indicator_id)] = [problem]
                continue
            score = score.quantize(Decimal("0.1"))  # a half step: exact at one place ("4.50" → "4.5")
        cleaned[indicator_id] = ScoreEntry(score=score, comment=(entry.comment or "").strip())
    if errors:
        raise ValidationError(errors)
    return cleaned


def score_problem(indicator, score: Decimal) -> str:
    values = {"name": indicator.name_zh, "max": plain(indicator.max_score)}
    if not score.is_finite():
        return _("“%(name)s”的分数不是数字。") % values
    if score < 0:
        return _("“%(name)s”的分数不能为负数。") % values
    if score > indicator.max_score:
        return _("“%(name)s”的分数不能超过满分 %(max)s 分。") % values
    if not is_half_step(score):
        return _("“%(name)s”的分数须以 0.5 分为单位。") % values
    return ""


def write_scores(sheet, score_model, indicators: Mapping[int, object], entries: Mapping[int, ScoreEntry]) -> None:
    """Upsert the sheet's score rows; an entry with neither score nor comment removes its row."""
    existing = {row.indicator_id: row for row in score_model.objects.filter(sheet=sheet)}
    for indicator_id, entry in entries.items():
        row = existing.get(indicator_id)
        if entry.score is None and not entry.comment:
            if row is not None:
                row.delete()
            continue
        if row is None:
            row = score_model(sheet=sheet, indicator=indicators[indicator_id])
        if row.pk and row.score == entry.score and row.comment == entry.comment:
            continue
        row.score = entry.score
        row.comment = entry.comment
        row.full_clean(exclude=["sheet", "indicator"], validate_unique=False, validate_constraints=False)
        row.save()


def notify_bureau(subject: str, body: str) -> None:
    """Email the active bureau administrators once the transaction commits (the home page shows it too)."""
    recipients = list(
        Membership.objects.filter(role=Role.BUREAU_ADMIN, is_active=True, user__is_active=True)
        .exclude(user__email="")
        .values_list("user__email", flat=True)
        .distinct()
    )
    if recipients:
        transaction.on_commit(
            lambda: send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients, fail_silently=True)
        )

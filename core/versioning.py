"""Versioned data, frozen once in use: catalogue editions (C4), two-way indicator sets (A1) and rubrics (A3).

Each is identified by a `code` (and, for indicator sets and rubrics, a `version` number within the code). The
first time a tender, package, assessment round or evaluation uses one, `mark_in_use` stamps `in_use_since`; from
then on it is never changed in place (`is_frozen`): edits land in a new row whose `derived_from` points at it,
created with `create_version`. The admin side of the same rule is `core.admin.FrozenOnceInUseMixin`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TypeVar

from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

V = TypeVar("V", bound=models.Model)


class Versioned(models.Model):
    """The fields every versioned model shares. Each model keeps its own `code` (verbose names and uniqueness
    differ: an edition's code is unique, an indicator set's or rubric's code is unique with its version)."""

    derived_from = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revisions",
        verbose_name=gettext_lazy("修订自"),
    )
    # Set the first time something uses the row; from then on edits make a new row (C4, A1, A3).
    in_use_since = models.DateTimeField(gettext_lazy("启用时间"), null=True, blank=True)
    created_at = models.DateTimeField(gettext_lazy("创建时间"), auto_now_add=True)

    class Meta:
        abstract = True

    @property
    def is_in_use(self) -> bool:
        return self.in_use_since is not None


class NumberedVersion(Versioned):
    """Versions numbered 1, 2, 3… within one code (indicator sets, rubrics)."""

    version = models.PositiveSmallIntegerField(gettext_lazy("版本"), default=1)

    class Meta:
        abstract = True


def is_frozen(obj: Versioned | None) -> bool:
    """True once the row is in use: it must not be changed or deleted, nor get new parts."""
    return obj is not None and obj.in_use_since is not None


def mark_in_use(obj: V) -> V:
    """Freeze `obj` (idempotent, safe under concurrency): a conditional update stamps `in_use_since` only if it is
    still empty, so two callers at once never both write it and the first time is kept. Returns `obj` with the
    stored `in_use_since`."""
    if obj.in_use_since is not None:
        return obj
    model = type(obj)
    stamped = model._default_manager.filter(pk=obj.pk, in_use_since__isnull=True).update(in_use_since=timezone.now())
    obj.refresh_from_db(fields=["in_use_since"])
    if stamped and hasattr(model, "history"):
        # `update()` sends no signals: record the freezing in the object's history as a save would.
        model.history.bulk_history_create([obj], update=True)
    return obj


def next_version_number(model: type[models.Model], code: str) -> int:
    """The version number after the highest committed one of `code` (1 for a new code)."""
    return (model._default_manager.filter(code=code).aggregate(v=Max("version"))["v"] or 0) + 1


def assign_next_version(obj: NumberedVersion) -> None:
    obj.version = next_version_number(type(obj), obj.code)


# How many times create_version renumbers after losing a race before giving up with a ValidationError.
ATTEMPTS = 5


def create_version(
    obj: V,
    *,
    number: Callable[[V], None] | None = assign_next_version,
    unique_fields: Iterable[str] = ("code", "version"),
    taken_message: str | None = None,
    exclude: Iterable[str] = (),
) -> V:
    """Validate and insert a new versioned row whose `unique_fields` identify it, without a race.

    `number(obj)` (re)assigns the identifying fields from what is committed so far (by default: the next version
    number of `obj.code`); with `number=None` the caller chose them (e.g. a code the user typed) and a clash is a
    ValidationError carrying `taken_message` on the first unique field.

    Why retry rather than lock: computing "highest version + 1" and inserting races when two bureau admins create
    the same code at the same instant; a `select_for_update` on the existing versions cannot lock rows that do not
    exist yet (a brand-new code, or the version being inserted), and a counter table would be one more model to
    keep in step. Instead the unique constraint decides: the insert runs in a savepoint, and if it loses (the
    IntegrityError of a row with the same identity, committed meanwhile by the other admin; on PostgreSQL the
    insert waits for that transaction to end first) the savepoint is rolled back, the transaction stays usable,
    and the identity is renumbered from the now-visible rows and tried again. Any other IntegrityError is raised
    as it is. Needs READ COMMITTED (Django's default) so each retry sees the rows the winner committed.
    """
    unique_fields = tuple(unique_fields)
    model = type(obj)
    message = taken_message or _("该代码的这一版本已存在。")

    def taken() -> bool:
        return model._default_manager.filter(**{f: getattr(obj, f) for f in unique_fields}).exists()

    def clash() -> ValidationError:
        return ValidationError({unique_fields[0]: message})

    for _attempt in range(ATTEMPTS):
        if number is not None:
            number(obj)
        try:
            obj.full_clean(exclude=list(exclude))
        except ValidationError:
            # A uniqueness error here means another admin committed the same identity a moment ago.
            if not taken():
                raise
            if number is None:
                raise clash() from None
            continue
        try:
            with transaction.atomic():
                obj.save(force_insert=True)
        except IntegrityError:
            if not taken():
                raise
            if number is None:
                raise clash() from None
            obj.pk = None
            continue
        return obj
    raise ValidationError({unique_fields[0]: _("有其他人正在同时创建这一版本，请稍后重试。")})

"""S3 corrections: what a correction (version n + 1) changes against the version it corrects, line by line,
so the town that must confirm it sees what changed, from what to what. Pure over rows already fetched."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from delivery.models import ReportLine, ServiceReport

from .services.reports import LINE_FIELDS


@dataclass(frozen=True)
class FieldChange:
    label: str
    before: object
    after: object

    @property
    def before_is_blank(self) -> bool:
        return self.before in ("", None)

    @property
    def after_is_blank(self) -> bool:
        return self.after in ("", None)


@dataclass(frozen=True)
class LineChange:
    line: ReportLine  # the correction's line (or the corrected version's, if the correction dropped it)
    changes: list[FieldChange]


@dataclass(frozen=True)
class CorrectionChanges:
    summary: FieldChange | None
    lines: list[LineChange]

    def __bool__(self) -> bool:
        return self.summary is not None or bool(self.lines)


def _label(field: str) -> str:
    return str(ReportLine._meta.get_field(field).verbose_name)


def _same(a, b) -> bool:
    if isinstance(a, Decimal) or isinstance(b, Decimal):
        return Decimal(str(a or 0)) == Decimal(str(b or 0))
    return (a or "") == (b or "") if isinstance(a, str) or isinstance(b, str) else a == b


def correction_changes(
    old: ServiceReport, old_lines: list[ReportLine], new: ServiceReport, new_lines: list[ReportLine]
) -> CorrectionChanges:
    """The summary and every line field that differs between the corrected version `old` and the correction
    `new`, in the correction's line order; a plan item present in one version only counts as 0 / empty in the
    other."""
    summary = None if _same(old.summary, new.summary) else FieldChange(_("本月工作小结"), old.summary, new.summary)
    before = {line.plan_item_id: line for line in old_lines}
    after_ids = {line.plan_item_id for line in new_lines}
    blank = ReportLine()
    rows = []
    for line in [*new_lines, *(line for line in old_lines if line.plan_item_id not in after_ids)]:
        was = before.get(line.plan_item_id, blank)
        now = line if line.plan_item_id in after_ids else blank
        changes = [
            FieldChange(_label(f), getattr(was, f), getattr(now, f))
            for f in LINE_FIELDS
            if not _same(getattr(was, f), getattr(now, f))
        ]
        if changes:
            rows.append(LineChange(line, changes))
    return CorrectionChanges(summary, rows)

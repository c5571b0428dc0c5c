"""Delivery rules as pure functions and tables (DOMAIN.md): S1 due dates and the overdue flag, and one
transition table each for the P7 plan workflow, the S3 report workflow and the S5 focus-issue workflow.

Nothing here queries the database. Services validate every status change with `check_move`; permission
predicates, views and templates ask `allows` / `next_statuses` instead of comparing statuses themselves, so
a workflow changes in one place. Compliance checks (K3 overdue reports) call the same functions."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from delivery.models import FocusIssue, ServicePlan, ServiceReport

# --- transition tables ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Workflow:
    """A rule's transition table: for each status, the statuses it may move to (in the order offered)."""

    rule: str
    status: type  # the model's TextChoices, for labels
    moves: Mapping[str, tuple[str, ...]]
    closed_hint: str = gettext_lazy("该状态不再变更。")  # said when a status has no way out

    def next(self, from_status: str) -> tuple[str, ...]:
        return self.moves.get(from_status, ())

    def allows(self, from_status: str, to_status: str) -> bool:
        return to_status in self.next(from_status)

    def label(self, status: str) -> str:
        try:
            return str(self.status(status).label)
        except ValueError:
            return str(status)


PlanStatus = ServicePlan.Status
ReportStatus = ServiceReport.Status
IssueStatus = FocusIssue.Status

# P7: the agency drafts and submits; the town forwards or returns; the bureau approves or returns; a returned
# plan is resubmitted; an approved plan is reopened as a draft for an amendment (which goes round again).
P7 = Workflow(
    rule="P7",
    status=PlanStatus,
    moves={
        PlanStatus.DRAFT: (PlanStatus.SUBMITTED,),
        PlanStatus.SUBMITTED: (PlanStatus.TOWN_REVIEWED, PlanStatus.RETURNED),
        PlanStatus.TOWN_REVIEWED: (PlanStatus.APPROVED, PlanStatus.RETURNED),
        PlanStatus.RETURNED: (PlanStatus.SUBMITTED,),
        PlanStatus.APPROVED: (PlanStatus.DRAFT,),
    },
)

# S3: draft → submitted → confirmed, or returned with a reason and resubmitted; a confirmed report is never
# changed — a correction is a new version, and once that is confirmed the old one becomes superseded.
S3 = Workflow(
    rule="S3",
    status=ReportStatus,
    moves={
        ReportStatus.DRAFT: (ReportStatus.SUBMITTED,),
        ReportStatus.SUBMITTED: (ReportStatus.CONFIRMED, ReportStatus.RETURNED),
        ReportStatus.RETURNED: (ReportStatus.SUBMITTED,),
        ReportStatus.CONFIRMED: (ReportStatus.SUPERSEDED,),
        ReportStatus.SUPERSEDED: (),
    },
    closed_hint=gettext_lazy("该版本已被更正版本取代，不能再修改。"),
)

# S5: reported → in progress → resolved; reported or in progress → escalated; escalated → in progress.
S5 = Workflow(
    rule="S5",
    status=IssueStatus,
    moves={
        IssueStatus.REPORTED: (IssueStatus.IN_PROGRESS, IssueStatus.ESCALATED),
        IssueStatus.IN_PROGRESS: (IssueStatus.RESOLVED, IssueStatus.ESCALATED),
        IssueStatus.ESCALATED: (IssueStatus.IN_PROGRESS,),
        IssueStatus.RESOLVED: (),
    },
    closed_hint=gettext_lazy("已解决的问题不再变更。"),
)


def next_statuses(table: Workflow, from_status: str) -> list[tuple[str, str]]:
    """(value, label) of the statuses `from_status` may move to: the choices a form offers."""
    return [(s, table.label(s)) for s in table.next(from_status)]


def check_move(table: Workflow, from_status: str, to_status: str, *, field: str | None = None) -> None:
    """Refuse a move the table does not allow, saying which moves are possible. With `field`, the error is
    keyed to that form field (e.g. the status picker)."""
    if table.allows(from_status, to_status):
        return
    allowed = "、".join(table.label(s) for s in table.next(from_status))
    message = _("不能从「%(from)s」改为「%(to)s」。%(hint)s") % {
        "from": table.label(from_status),
        "to": table.label(to_status),
        "hint": _("可以改为：%(s)s。") % {"s": allowed} if allowed else str(table.closed_hint),
    }
    raise ValidationError({field: [message]} if field else message, code="invalid_move")


# P7 and S3 states by what they allow -----------------------------------------------------------------


def plan_is_open(status: str) -> bool:
    """P7: a plan is changed (items, venues of the plan) while it can be submitted: a draft or returned."""
    return P7.allows(status, PlanStatus.SUBMITTED)


def plan_open_statuses() -> list[str]:
    """P7: the statuses in which a plan is open (for querysets)."""
    return [s for s in P7.moves if plan_is_open(s)]


def unresolved_statuses(table: Workflow) -> list[str]:
    """The statuses that still lead somewhere (e.g. S5 issues not yet resolved), for querysets."""
    return [s for s, targets in table.moves.items() if targets]


def report_is_editable(status: str) -> bool:
    """S3: a report is edited while it can be submitted: a draft or returned (never once submitted)."""
    return S3.allows(status, ReportStatus.SUBMITTED)


def report_is_filed(status: str) -> bool:
    """S1: a version that counts as filed for its month: submitted, confirmed, or confirmed and since
    superseded by a correction."""
    return status in (ReportStatus.SUBMITTED, ReportStatus.CONFIRMED, ReportStatus.SUPERSEDED)


# --- S1: due dates ---------------------------------------------------------------------------------


def month_bounds(year: int, month: int) -> tuple[datetime.date, datetime.date]:
    """First and last day of a calendar month."""
    first = datetime.date(year, month, 1)
    following = datetime.date(year + month // 12, month % 12 + 1, 1)
    return first, following - datetime.timedelta(days=1)


def report_submittable_from(year: int, month: int) -> datetime.date:
    """S3: a month's report can be submitted from the last day of that month on (never before it has ended)."""
    return month_bounds(year, month)[1]


def report_month_is_submittable(year: int, month: int, today: datetime.date) -> bool:
    """S3: whether a report for (year, month) may be submitted on `today`; the service refuses otherwise and
    the edit page says so beside a disabled submit button."""
    return today >= report_submittable_from(year, month)


def report_due_date(package, year: int, month: int) -> datetime.date:
    """S1: the report for month M is due on the round's `report_due_day` (default the 10th) of month M+1."""
    return report_due_on(year, month, package.round.report_due_day)


def report_due_on(year: int, month: int, report_due_day: int) -> datetime.date:
    """`report_due_date` from the round's due day itself (the API list reads it as a column)."""
    _first, last = month_bounds(year, month)
    following = last + datetime.timedelta(days=1)
    return following.replace(day=min(report_due_day, 28))


def report_months(package, today: datetime.date) -> list[tuple[int, int]]:
    """(year, month) of every month of the package period that has begun by `today`, newest first."""
    end = min(package.ends_on, today)
    months = []
    year, month = package.starts_on.year, package.starts_on.month
    while datetime.date(year, month, 1) <= end:
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return list(reversed(months))


def month_is_overdue(versions: Iterable[ServiceReport], due_on: datetime.date, today: datetime.date) -> bool:
    """S1: after the due date a month is overdue unless one of its versions is submitted or confirmed
    (a missing, draft or returned report is overdue)."""
    return today > due_on and not any(report_is_filed(r.status) for r in versions)


@dataclass
class ReportMonth:
    year: int
    month: int
    due_on: datetime.date
    versions: list[ServiceReport]  # newest first
    overdue: bool

    @property
    def report(self) -> ServiceReport | None:
        """The version to open: the open correction or draft if any, else the confirmed one."""
        return self.versions[0] if self.versions else None

    @property
    def confirmed(self) -> ServiceReport | None:
        return next((r for r in self.versions if r.status == ReportStatus.CONFIRMED), None)

    @property
    def editable(self) -> bool:
        """S3: the version to open can still be edited (a draft or returned)."""
        return self.report is not None and report_is_editable(self.report.status)


def report_calendar(package, reports: Iterable[ServiceReport], today: datetime.date) -> list[ReportMonth]:
    """Every month of the package so far with its versions, due date and S1 overdue flag (no queries)."""
    by_month: dict[tuple[int, int], list[ServiceReport]] = {}
    for report in sorted(reports, key=lambda r: -r.version):
        by_month.setdefault((report.year, report.month), []).append(report)
    rows = []
    for year, month in report_months(package, today):
        versions = by_month.get((year, month), [])
        due_on = report_due_date(package, year, month)
        rows.append(ReportMonth(year, month, due_on, versions, month_is_overdue(versions, due_on, today)))
    return rows

"""Community focus issues (S5): registered by the community's officers or the agency serving the town, moved
through reported → in progress → resolved (or escalated, and back to in progress) with who and when; a
resolved issue carries its resolution and date. Resolved issues are counted per agency, town and year."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import FocusIssue, FocusIssueEvent
from delivery.permissions import can_move_focus_issue, can_report_focus_issue
from directory.models import Community
from procurement.models import ServicePackage

Status = FocusIssue.Status

# S5: reported → in progress → resolved; reported or in progress → escalated; escalated → in progress.
TRANSITIONS: dict[str, tuple[str, ...]] = {
    Status.REPORTED: (Status.IN_PROGRESS, Status.ESCALATED),
    Status.IN_PROGRESS: (Status.RESOLVED, Status.ESCALATED),
    Status.ESCALATED: (Status.IN_PROGRESS,),
    Status.RESOLVED: (),
}


def next_statuses(issue: FocusIssue) -> list[tuple[str, str]]:
    """(value, label) of the states the issue may move to."""
    return [(s, Status(s).label) for s in TRANSITIONS[issue.status]]


@transaction.atomic
def focus_issue_report(
    *,
    actor,
    community: Community,
    package: ServicePackage | None = None,
    kind: str,
    title: str,
    description: str,
) -> FocusIssue:
    """Register a focus issue of a community (S5). Without a package, the town's active package (if any) is
    linked, so that the agency serving the town is credited when the issue is resolved."""
    if not can_report_focus_issue(actor, community):
        raise PermissionDenied(_("只有该社区（村）的干部或服务该街镇的社工机构可以登记焦点问题。"))
    if package is None:
        package = ServicePackage.objects.filter(town_id=community.town_id, status=ServicePackage.Status.ACTIVE).first()
    elif package.town_id != community.town_id:
        raise ValidationError({"package": _("所选项目包不在该社区所属的街镇。")})
    issue = FocusIssue(
        community=community,
        package=package,
        kind=kind,
        title=(title or "").strip(),
        description=(description or "").strip(),
        reported_by=actor,
    )
    issue.full_clean()
    issue.save()
    FocusIssueEvent.objects.create(issue=issue, from_status="", to_status=issue.status, actor=actor)
    return issue


@transaction.atomic
def focus_issue_move(
    *,
    actor,
    issue: FocusIssue,
    to_status: str,
    note: str = "",
    resolution: str | None = None,
    resolved_on: datetime.date | None = None,
) -> FocusIssue:
    """Move an issue to its next state (S5) and record who did it and when. Resolving needs the resolution
    and the date (not in the future, not before the issue was registered); escalating needs a note."""
    if not can_move_focus_issue(actor, issue):
        raise PermissionDenied(_("您不能处理这个焦点问题。"))
    locked = FocusIssue.objects.select_for_update().get(pk=issue.pk)
    if to_status not in Status.values:
        raise ValidationError({"to_status": _("请选择新的状态。")})
    if to_status not in TRANSITIONS[locked.status]:
        allowed = "、".join(str(Status(s).label) for s in TRANSITIONS[locked.status])
        raise ValidationError(
            {
                "to_status": _("不能从「%(from)s」改为「%(to)s」。%(hint)s")
                % {
                    "from": locked.get_status_display(),
                    "to": Status(to_status).label,
                    "hint": _("可以改为：%(s)s。") % {"s": allowed} if allowed else _("已解决的问题不再变更。"),
                }
            }
        )
    note = (note or "").strip()
    errors: dict[str, list[str]] = {}
    if to_status == Status.RESOLVED:
        resolution = (resolution or "").strip()
        if not resolution:
            errors["resolution"] = [_("标记为已解决时，请填写解决情况。")]
        if resolved_on is None:
            errors["resolved_on"] = [_("标记为已解决时，请填写解决日期。")]
        elif resolved_on > timezone.localdate():
            errors["resolved_on"] = [_("解决日期不能晚于今天。")]
        elif resolved_on < timezone.localdate(locked.reported_at):
            errors["resolved_on"] = [
                _("解决日期不能早于问题登记日期（%(d)s）。") % {"d": timezone.localdate(locked.reported_at)}
            ]
        locked.resolution = resolution
        locked.resolved_on = resolved_on
    if to_status == Status.ESCALATED and not note:
        errors["note"] = [_("上报时请说明原因和上报对象。")]
    if errors:
        raise ValidationError(errors)
    from_status = locked.status
    locked.status = to_status
    locked.full_clean()
    locked.save()
    FocusIssueEvent.objects.create(issue=locked, from_status=from_status, to_status=to_status, note=note, actor=actor)
    return locked


@dataclass
class FocusCount:
    key: int | None
    label: str
    count: int


def focus_issue_counts(
    *,
    by: str,
    issues: QuerySet[FocusIssue] | None = None,
    town=None,
    agency=None,
    year: int | None = None,
) -> list[FocusCount]:
    """Counts of RESOLVED issues (S5) grouped `by` "agency" (the agency of the linked package), "town" or
    "year" (of the resolution date), optionally within `issues` (e.g. a user's scoped list) and narrowed to a
    town, an agency or a year. One query."""
    qs = (issues if issues is not None else FocusIssue.objects.all()).filter(status=Status.RESOLVED)
    if town is not None:
        qs = qs.filter(community__town=town)
    if agency is not None:
        qs = qs.filter(package__agency=agency)
    if year is not None:
        qs = qs.filter(resolved_on__year=year)
    if by == "agency":
        rows = qs.values("package__agency_id", "package__agency__organisation__name").annotate(n=Count("id"))
        result = [
            FocusCount(r["package__agency_id"], r["package__agency__organisation__name"] or _("（未关联机构）"), r["n"])
            for r in rows.order_by("package__agency__organisation__name")
        ]
    elif by == "town":
        rows = qs.values("community__town_id", "community__town__name").annotate(n=Count("id"))
        result = [
            FocusCount(r["community__town_id"], r["community__town__name"], r["n"])
            for r in rows.order_by("community__town__name")
        ]
    elif by == "year":
        rows = qs.annotate(y=ExtractYear("resolved_on")).values("y").annotate(n=Count("id"))
        result = [FocusCount(r["y"], str(r["y"]), r["n"]) for r in rows.order_by("y")]
    else:
        raise ValueError(f"focus_issue_counts: unknown grouping {by!r}")
    return result

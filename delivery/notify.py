"""Who delivery tells, and when (notifications). The services call these at the moment a thing happens, inside
their transaction, so a refused move tells nobody; each decides its recipients in one query and writes in one
(`notifications.services.notify`, idempotent per user × kind × subject key). `reminders_send` is the daily
S1 reminder (`delivery.reminders_send_task`)."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import ServicePlan, ServiceReport
from directory.models import Membership, Organisation, Role
from notifications.models import Notification
from notifications.services import Notice, notify, notify_bulk
from procurement.models import ServicePackage

from .workflow import report_due_date, report_is_filed, report_months

AGENCY_ROLES = (Role.AGENCY_MANAGER, Role.AGENCY_WORKER)


def _stamp(moment: datetime.datetime | None) -> str:
    """A moment as a key part: each submission of a report or plan is a new subject to tell about."""
    return moment.strftime("%Y%m%d%H%M%S%f") if moment else "0"


def _members(**lookups):
    """User ids of active members (of active organisations) matching `lookups`: one query when evaluated."""
    return (
        Membership.objects.filter(is_active=True, organisation__is_active=True, user__is_active=True, **lookups)
        .values_list("user_id", flat=True)
        .distinct()
    )


def _agency_members(package_id: int):
    return _members(role__in=AGENCY_ROLES, organisation__agency__packages=package_id)


def _town_officers(package_id: int):
    return _members(
        role=Role.TOWN_OFFICER,
        organisation__kind=Organisation.Kind.TOWN_OFFICE,
        organisation__town__packages=package_id,
    )


def _month(report: ServiceReport) -> str:
    return _("%(y)d年%(m)d月") % {"y": report.year, "m": report.month}


def report_returned(report: ServiceReport) -> None:
    """S3: the town returned a report → the package's agency members (managers and workers)."""
    notify(
        users=_agency_members(report.package_id),
        kind=Notification.Kind.REPORT_RETURNED,
        subject_key=f"report:{report.pk}:returned:{_stamp(report.submitted_at)}",
        title=_("%(package)s %(month)s月报被街镇退回") % {"package": report.package.title, "month": _month(report)},
        url=report.get_absolute_url(),
        body=report.returned_reason,
    )


def report_submitted(report: ServiceReport) -> None:
    """S3: the agency submitted a report → the town officers of the package's town, who confirm or return it."""
    notify(
        users=_town_officers(report.package_id),
        kind=Notification.Kind.REPORT_SUBMITTED,
        subject_key=f"report:{report.pk}:submitted:{_stamp(report.submitted_at)}",
        title=_("%(package)s %(month)s月报待确认") % {"package": report.package.title, "month": _month(report)},
        url=report.get_absolute_url(),
    )


def plan_submitted(plan: ServicePlan) -> None:
    """P7: the agency submitted the plan → the town officers of the package's town review it first."""
    notify(
        users=_town_officers(plan.package_id),
        kind=Notification.Kind.PLAN_REVIEW,
        subject_key=f"plan:{plan.pk}:town:{_stamp(plan.submitted_at)}",
        title=_("%(package)s 的服务计划待街镇审核") % {"package": plan.package.title},
        url=reverse("delivery:plan-detail", args=[plan.package_id]),
    )


def plan_town_reviewed(plan: ServicePlan) -> None:
    """P7: the town forwarded the plan → the bureau's administrators approve or return it."""
    if plan.status != ServicePlan.Status.TOWN_REVIEWED:
        return  # returned to the agency: the agency sees it on its plan page
    notify(
        users=_members(role=Role.BUREAU_ADMIN),
        kind=Notification.Kind.PLAN_REVIEW,
        subject_key=f"plan:{plan.pk}:bureau:{_stamp(plan.submitted_at)}",
        title=_("%(package)s 的服务计划待民政局审批") % {"package": plan.package.title},
        url=reverse("delivery:plan-detail", args=[plan.package_id]),
    )


# --- S1: the daily reminder -----------------------------------------------------------------------


def reminders_send(*, today: datetime.date | None = None, days: int | None = None) -> int:
    """S1: remind each active package's agency members of monthly reports due within `days` days
    (NOTIFY_REPORT_DUE_DAYS, default 3) and of reports overdue. One reminder per package × month × due date
    (the due date is in the key, so a later month or a changed due day is a new reminder; running twice
    tells nobody twice). Four queries whatever the number of packages. Returns the rows offered."""
    today = today or timezone.localdate()
    days = settings.NOTIFY_REPORT_DUE_DAYS if days is None else days
    packages = list(
        ServicePackage.objects.filter(status=ServicePackage.Status.ACTIVE, starts_on__lte=today).select_related("round")
    )
    if not packages:
        return 0
    ids = [p.pk for p in packages]
    filed = {
        (package_id, year, month)
        for package_id, year, month, status in ServiceReport.objects.filter(package_id__in=ids).values_list(
            "package_id", "year", "month", "status"
        )
        if report_is_filed(status)
    }
    members: dict[int, list[int]] = {}
    for agency_id, user_id in (
        Membership.objects.filter(
            is_active=True,
            organisation__is_active=True,
            user__is_active=True,
            role__in=AGENCY_ROLES,
            organisation__agency__in={p.agency_id for p in packages},
        )
        .values_list("organisation__agency", "user_id")
        .distinct()
    ):
        members.setdefault(agency_id, []).append(user_id)
    horizon = today + datetime.timedelta(days=days)
    notices = []
    for package in packages:
        users = members.get(package.agency_id, [])
        if not users:
            continue
        for year, month in report_months(package, today):
            if (package.pk, year, month) in filed:
                continue
            due_on = report_due_date(package, year, month)
            if due_on > horizon:
                continue
            month_label = _("%(y)d年%(m)d月") % {"y": year, "m": month}
            url = reverse("delivery:report-list", args=[package.pk])
            if due_on < today:
                notices.append(
                    Notice(
                        users=users,
                        kind=Notification.Kind.REPORT_OVERDUE,
                        subject_key=f"report_overdue:{package.pk}:{year}-{month:02d}:{due_on.isoformat()}",
                        title=_("%(package)s %(month)s月报已逾期（应于 %(due)s 前提交）")
                        % {"package": package.title, "month": month_label, "due": due_on.isoformat()},
                        url=url,
                    )
                )
            else:
                notices.append(
                    Notice(
                        users=users,
                        kind=Notification.Kind.REPORT_DUE,
                        subject_key=f"report_due:{package.pk}:{year}-{month:02d}:{due_on.isoformat()}",
                        title=_("%(package)s %(month)s月报将于 %(due)s 到期")
                        % {"package": package.title, "month": month_label, "due": due_on.isoformat()},
                        url=url,
                    )
                )
    return notify_bulk(notices)

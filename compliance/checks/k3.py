"""K3 — overdue monthly reports (S1) through `delivery.workflow.report_calendar`, the function behind the
package's report calendar: a month past its due date with no submitted or confirmed version is the agency's
finding. A report the agency submitted but the town has neither confirmed nor returned
`COMPLIANCE_CONFIRM_DAYS` days later (S3: it is the town's move) is the town office's finding.
Three queries whatever the number of packages."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.utils import timezone
from django.utils.translation import gettext as _

from delivery.models import ServiceReport
from delivery.workflow import S3, report_calendar
from procurement.models import ServicePackage

from . import Found, check
from ._shared import package_scope, setting, town_offices, url

CRITICAL_AFTER_DAYS = 30


@check("K3")
def k3_overdue_reports(*, today: datetime.date) -> list[Found]:
    confirm_days = setting("COMPLIANCE_CONFIRM_DAYS")
    packages = list(
        ServicePackage.objects.filter(status=ServicePackage.Status.ACTIVE, starts_on__lte=today)
        .select_related("town__district", "agency__organisation", "round")
        .order_by("pk")
    )
    reports: dict[int, list[ServiceReport]] = defaultdict(list)
    rows = ServiceReport.objects.filter(package__in=packages).only(
        "id", "package_id", "year", "month", "version", "status", "submitted_at"
    )
    for report in rows:
        reports[report.package_id].append(report)
    offices = town_offices({p.town_id for p in packages})
    found: list[Found] = []
    for package in packages:
        for month in report_calendar(package, reports[package.pk], today):
            label = _("%(y)d年%(m)d月") % {"y": month.year, "m": month.month}
            if month.overdue:
                late = (today - month.due_on).days
                current = month.report
                if current is not None and current.status == ServiceReport.Status.RETURNED:
                    state = _("街镇已退回，请按退回意见修改后重新提交。")
                elif current is not None:
                    state = _("草稿尚未提交，请完成后提交街镇确认。")
                else:
                    state = _("尚未填写，请尽快填写并提交街镇确认。")
                found.append(
                    Found(
                        subject_key=f"report:{package.pk}:{month.year}-{month.month:02d}",
                        message=_("%(p)s %(label)s的服务报告应于 %(due)s 前提交，已逾期 %(late)d 天（S1）。%(state)s")
                        % {
                            "p": package.title,
                            "label": label,
                            "due": month.due_on.isoformat(),
                            "late": late,
                            "state": state,
                        },
                        severity="critical" if late > CRITICAL_AFTER_DAYS else "warning",
                        organisation_id=package.agency.organisation_id,
                        url=url("delivery:report-list", package.pk),
                        details={
                            "year": month.year,
                            "month": month.month,
                            "due_on": month.due_on.isoformat(),
                            "days_late": late,
                            "status": current.status if current else None,
                        },
                        **package_scope(package),
                    )
                )
            for version in month.versions:
                if not S3.allows(version.status, ServiceReport.Status.CONFIRMED) or version.submitted_at is None:
                    continue
                waiting = (today - timezone.localdate(version.submitted_at)).days
                if waiting <= confirm_days:
                    continue
                found.append(
                    Found(
                        subject_key=f"report-confirm:{version.pk}",
                        message=_(
                            "%(p)s %(label)s的服务报告已于 %(d)s 提交，街镇 %(n)d 天未确认或退回（S3）。"
                            "请审核后确认，或写明原因退回机构修改。"
                        )
                        % {
                            "p": package.title,
                            "label": label,
                            "d": timezone.localdate(version.submitted_at).isoformat(),
                            "n": waiting,
                        },
                        severity="warning",
                        organisation_id=offices.get(package.town_id),
                        url=url("delivery:report-detail", version.pk),
                        details={"year": month.year, "month": month.month, "days_waiting": waiting},
                        **package_scope(package),
                    )
                )
    return found

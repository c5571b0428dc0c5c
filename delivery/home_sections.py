"""Home-page sections for delivery (see core/attention.py): plans waiting for review, reports to file or confirm."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.attention import AttentionItem, AttentionSection, register
from directory.models import Role
from directory.permissions import scope_for

LIMIT = 20


@register
def plan_sections(user) -> list[AttentionSection]:
    """Service plans (P3, P7): a town officer's plans awaiting town review; the bureau's plans awaiting
    approval and filed items awaiting its decision; an agency's active packages whose plan is not started,
    still a draft (or an amendment) or returned."""
    from delivery.models import ServicePlan
    from delivery.selectors import plan_filed_pending_list, plan_list
    from procurement.models import ServicePackage
    from procurement.selectors import package_list

    scope = scope_for(user)
    sections: list[AttentionSection] = []

    def plan_item(plan, detail: str) -> AttentionItem:
        return AttentionItem(
            title=str(plan.package),
            detail=detail,
            url=reverse("delivery:plan-detail", args=[plan.package_id]),
        )

    if scope.town_ids:
        plans = (
            plan_list(user=user)
            .filter(status=ServicePlan.Status.SUBMITTED, package__town_id__in=scope.town_ids)
            .order_by("submitted_at")[:LIMIT]
        )
        sections.append(
            AttentionSection(
                title=_("待街镇审核的服务计划"),
                items=[
                    plan_item(p, _("%(agency)s · 第 %(v)d 版") % {"agency": p.package.agency, "v": p.version + 1})
                    for p in plans
                ],
                empty_text=_("没有待审核的服务计划。"),
                order=30,
            )
        )
    if scope.has(Role.BUREAU_ADMIN):
        plans = plan_list(user=user).filter(status=ServicePlan.Status.TOWN_REVIEWED).order_by("submitted_at")[:LIMIT]
        sections.append(
            AttentionSection(
                title=_("待民政局批准的服务计划"),
                items=[plan_item(p, _("%(town)s · 街镇已审核") % {"town": p.package.town.name}) for p in plans],
                empty_text=_("没有待批准的服务计划。"),
                order=18,
            )
        )
        filed = plan_filed_pending_list(user=user)[:LIMIT]
        sections.append(
            AttentionSection(
                title=_("待审批的备案项目"),
                items=[
                    AttentionItem(
                        title=i.filed_name,
                        detail=_("%(package)s · %(place)s")
                        % {"package": i.plan.package, "place": i.community.name if i.community else _("街镇层面")},
                        url=reverse("delivery:plan-detail", args=[i.plan.package_id]),
                    )
                    for i in filed
                ],
                empty_text=_("没有待审批的备案项目。"),
                order=19,
            )
        )
    if scope.agency_ids:
        packages = (
            package_list(user=user)
            .filter(status=ServicePackage.Status.ACTIVE, agency__organisation_id__in=scope.agency_ids)
            .filter(Q(plan__isnull=True) | Q(plan__status__in=[ServicePlan.Status.DRAFT, ServicePlan.Status.RETURNED]))
            .select_related("plan")
            .order_by("starts_on")[:LIMIT]
        )
        items = []
        for package in packages:
            plan = getattr(package, "plan", None)
            if plan is None:
                detail = _("尚未编制服务计划")
            elif plan.status == ServicePlan.Status.RETURNED:
                detail = _("已退回：%(reason)s") % {"reason": plan.returned_reason}
            elif plan.version:
                detail = _("计划变更中：%(reason)s") % {"reason": plan.amendment_reason}
            else:
                detail = _("草稿，尚未提交街镇审核")
            items.append(
                AttentionItem(title=str(package), detail=detail, url=reverse("delivery:plan-detail", args=[package.pk]))
            )
        sections.append(
            AttentionSection(
                title=_("需要编制或修改的服务计划"),
                items=items,
                empty_text=_("执行中项目包的服务计划都已提交。"),
                order=25,
            )
        )
    return sections


@register
def report_sections(user) -> list[AttentionSection]:
    """Monthly reports and focus issues: an agency's reports due, overdue (S1) or returned (S3); a town
    officer's reports awaiting confirmation and its town's open focus issues; a community officer's open
    focus issues (S5)."""
    from delivery.models import FocusIssue, ServiceReport
    from delivery.selectors import focus_issue_list, report_list
    from procurement.models import ServicePackage
    from procurement.selectors import package_list

    from .services.reports import report_calendar

    scope = scope_for(user)
    sections: list[AttentionSection] = []
    today = timezone.localdate()
    open_statuses = [FocusIssue.Status.REPORTED, FocusIssue.Status.IN_PROGRESS, FocusIssue.Status.ESCALATED]

    if scope.agency_ids:
        packages = list(
            package_list(user=user).filter(
                status=ServicePackage.Status.ACTIVE, agency__organisation_id__in=scope.agency_ids
            )
        )
        reports: dict[int, list] = {p.pk: [] for p in packages}
        rows = report_list(user=user).filter(package__in=packages).select_related(None)
        for r in rows.only("package_id", "year", "month", "version", "status"):
            reports[r.package_id].append(r)
        # Most urgent first: returned reports, then overdue months, then months still to file — each group
        # oldest first across all the agency's packages.
        returned, overdue, pending = [], [], []
        for package in packages:
            list_url = reverse("delivery:report-list", args=[package.pk])
            for month in report_calendar(package, reports[package.pk], today):
                label = _("%(y)d年%(m)d月") % {"y": month.year, "m": month.month}
                report = month.report
                key = (month.due_on, package.pk)
                if report is not None and report.status == ServiceReport.Status.RETURNED:
                    detail = _("%(p)s · 街镇已退回，请修改后重新提交") % {"p": package}
                    returned.append((key, AttentionItem(title=label, detail=detail, url=report.get_absolute_url())))
                elif month.overdue:
                    detail = _("%(p)s · 已逾期（截止 %(d)s）") % {"p": package, "d": month.due_on.isoformat()}
                    overdue.append((key, AttentionItem(title=label, detail=detail, url=list_url)))
                elif (month.year, month.month) != (today.year, today.month) and not any(
                    v.status in (ServiceReport.Status.SUBMITTED, ServiceReport.Status.CONFIRMED) for v in month.versions
                ):
                    detail = _("%(p)s · 待提交，截止 %(d)s") % {"p": package, "d": month.due_on.isoformat()}
                    pending.append((key, AttentionItem(title=label, detail=detail, url=list_url)))
        items = [item for group in (returned, overdue, pending) for _key, item in sorted(group, key=lambda g: g[0])]
        sections.append(
            AttentionSection(
                title=_("待提交、逾期或被退回的月度报告"),
                items=items[:LIMIT],
                empty_text=_("月度报告都已按时提交。"),
                order=26,
                total=len(items),
            )
        )
    if scope.town_ids:
        waiting = (
            report_list(user=user)
            .filter(status=ServiceReport.Status.SUBMITTED, package__town_id__in=scope.town_ids)
            .order_by("submitted_at")[:LIMIT]
        )
        sections.append(
            AttentionSection(
                title=_("待确认的月度报告"),
                items=[
                    AttentionItem(
                        title=_("%(y)d年%(m)d月 · 第 %(v)d 版") % {"y": r.year, "m": r.month, "v": r.version},
                        detail=str(r.package),
                        url=r.get_absolute_url(),
                    )
                    for r in waiting
                ],
                empty_text=_("没有待确认的月度报告。"),
                order=31,
            )
        )
    focus_places = []
    if scope.town_ids:
        focus_places.append((Q(community__town_id__in=scope.town_ids), _("本街镇未解决的焦点问题"), 32))
    if scope.community_ids:
        focus_places.append((Q(community_id__in=scope.community_ids), _("本社区未解决的焦点问题"), 33))
    for place, title, order in focus_places:
        issues = focus_issue_list(user=user).filter(place, status__in=open_statuses)[:LIMIT]
        sections.append(
            AttentionSection(
                title=title,
                items=[
                    AttentionItem(
                        title=i.title,
                        detail=_("%(c)s · %(k)s · %(s)s")
                        % {"c": i.community.name, "k": i.get_kind_display(), "s": i.get_status_display()},
                        url=i.get_absolute_url(),
                    )
                    for i in issues
                ],
                empty_text=_("没有未解决的焦点问题。"),
                order=order,
            )
        )
    return sections

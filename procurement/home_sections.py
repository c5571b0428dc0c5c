"""Home-page sections for procurement (see core/attention.py)."""

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.attention import AttentionItem, AttentionSection, register
from directory.models import Organisation, Role
from directory.permissions import scope_for

from .models import Agency, Certificate, QualificationApplication, StaffMember
from .rules import EXPIRY_WARNING_DAYS, qualification_check, valid_certificate

LIMIT = 20


@register
def agency_sections(user) -> list[AttentionSection]:
    """The bureau's pending qualification applications (Q6); an agency manager's Q5 warnings (certificates,
    qualification, registration expiring within 60 days or expired) and the latest decision on its applications."""
    scope = scope_for(user)
    sections: list[AttentionSection] = []
    if scope.has(Role.BUREAU_ADMIN):
        pending = QualificationApplication.objects.filter(status=QualificationApplication.Status.SUBMITTED)
        sections.append(
            AttentionSection(
                title=_("待审核的资格申请"),
                items=[
                    AttentionItem(
                        title=str(a.agency),
                        detail=_("提交于 %(d)s") % {"d": timezone.localtime(a.submitted_at).strftime("%Y-%m-%d")},
                        url=reverse("procurement:qualification-detail", args=[a.pk]),
                    )
                    for a in pending.select_related("agency__organisation").order_by("submitted_at")[:LIMIT]
                ],
                empty_text=_("没有待审核的资格申请。"),
                order=15,
            )
        )
    managed = scope.orgs_for(Role.AGENCY_MANAGER)
    if managed:
        sections.extend(_agency_manager_sections(managed))
    return sections


def _agency_manager_sections(managed) -> list[AttentionSection]:
    today = timezone.localdate()
    agencies = list(Agency.objects.filter(organisation_id__in=managed).select_related("organisation"))
    warnings: list[AttentionItem] = [
        AttentionItem(
            title=_("%(org)s 尚未建立机构档案") % {"org": o.name},
            url=reverse("procurement:agency-create", args=[o.pk]),
        )
        for o in Organisation.objects.filter(id__in=managed, agency__isnull=True, kind=Organisation.Kind.AGENCY)
    ]
    for agency in agencies:
        check = qualification_check(agency, on=today)
        url = agency.get_absolute_url()
        warnings += [AttentionItem(title=p, detail=str(agency), url=url) for p in check.problems]
        warnings += [AttentionItem(title=w, detail=str(agency), url=url) for w in check.warnings]
    staff = (
        StaffMember.objects.filter(agency__in=agencies)
        .filter(Q(employed_until__isnull=True) | Q(employed_until__gte=today))
        .prefetch_related(Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on")))
        .order_by("name")
    )
    for s in staff:
        url = reverse("procurement:staff-detail", args=[s.pk])
        cert = valid_certificate(s, today)
        if cert is not None and (cert.expires_on - today).days <= EXPIRY_WARNING_DAYS:
            warnings.append(
                AttentionItem(
                    title=_("%(name)s 的社工证书将于 %(date)s 到期（Q5）。")
                    % {"name": s.name, "date": cert.expires_on.isoformat()},
                    url=url,
                )
            )
        elif cert is None:
            latest = next(iter(s.certificates.all()), None)
            if latest is not None and latest.expires_on < today:
                warnings.append(
                    AttentionItem(
                        title=_("%(name)s 的社工证书已于 %(date)s 过期，不再计入持证社工（Q5）。")
                        % {"name": s.name, "date": latest.expires_on.isoformat()},
                        url=url,
                    )
                )
    decisions = []
    latest = (
        QualificationApplication.objects.filter(agency__in=agencies)
        .exclude(status=QualificationApplication.Status.SUBMITTED)
        .select_related("agency__organisation")
        .order_by("agency_id", "-decided_at")
    )
    seen: set[int] = set()
    for a in latest:
        if a.agency_id in seen:
            continue
        seen.add(a.agency_id)
        decisions.append(
            AttentionItem(
                title=_("%(agency)s：资格申请%(status)s") % {"agency": a.agency, "status": a.get_status_display()},
                detail=a.reason,
                url=reverse("procurement:qualification-detail", args=[a.pk]),
            )
        )
    return [
        AttentionSection(
            title=_("资格与证书到期提醒"),
            items=warnings[:LIMIT],
            empty_text=_("资格、登记证书和社工证书都在有效期内。"),
            order=21,
        ),
        AttentionSection(
            title=_("资格审核结果"),
            items=decisions,
            empty_text=_("暂无资格审核结果。"),
            order=22,
        ),
    ]


@register
def tender_sections(user) -> list[AttentionSection]:
    """Tendering: the bureau's tenders past their deadline awaiting evaluation or award and the experts'
    declared conflicts (to draw replacements); an agency manager's open tenders; an expert's panels
    awaiting the declaration or scores."""
    from django.db.models import Count

    from .models import BidScore, Tender, TenderExpert
    from .selectors import bid_mine_list, panel_list, tender_open_list

    scope = scope_for(user)
    sections: list[AttentionSection] = []
    now = timezone.now()
    if scope.has(Role.BUREAU_ADMIN):
        due = (
            Tender.objects.filter(
                Q(status=Tender.Status.EVALUATION) | Q(status=Tender.Status.PUBLISHED, bid_deadline__lte=now)
            )
            .select_related("town", "draw")
            .annotate(n=Count("bids"))
            .order_by("bid_deadline")[:LIMIT]
        )
        items = []
        for t in due:
            draw = getattr(t, "draw", None)
            step = _("待抽取评审专家") if draw is None else _("专家评审中，评分完成后定标")
            items.append(
                AttentionItem(
                    title=str(t),
                    detail=_("%(town)s · %(n)d 份投标 · %(step)s") % {"town": t.town.name, "n": t.n, "step": step},
                    url=t.get_absolute_url(),
                )
            )
        sections.append(
            AttentionSection(
                title=_("投标已截止、待评审或定标的招标项目"),
                items=items,
                empty_text=_("没有待评审或定标的招标项目。"),
                order=16,
            )
        )
        conflicts = (
            TenderExpert.objects.filter(has_conflict=True, tender__status=Tender.Status.EVALUATION)
            .select_related("tender__draw", "expert__user")
            .order_by("-declared_at")
        )
        items = []
        for m in conflicts:
            draw = getattr(m.tender, "draw", None)
            if draw is not None and any(r.get("replaced") == m.expert_id for r in draw.redraws):
                continue
            items.append(
                AttentionItem(
                    title=_("%(expert)s 声明与“%(tender)s”存在利益冲突") % {"expert": m.expert, "tender": m.tender},
                    detail=m.conflict_note or _("请补抽一名专家。"),
                    url=m.tender.get_absolute_url(),
                )
            )
        sections.append(
            AttentionSection(
                title=_("评审专家声明的利益冲突"),
                items=items[:LIMIT],
                empty_text=_("没有需要补抽专家的利益冲突。"),
                order=17,
            )
        )
    if scope.has(Role.AGENCY_MANAGER):
        tenders = list(tender_open_list(user=user).order_by("bid_deadline")[:LIMIT])
        bid_on = set(bid_mine_list(user=user).filter(tender__in=tenders).values_list("tender_id", flat=True))
        sections.append(
            AttentionSection(
                title=_("可以投标的招标项目"),
                items=[
                    AttentionItem(
                        title=str(t),
                        detail=(_("已投标，截止前可修改") if t.pk in bid_on else _("尚未投标"))
                        + _("；截止 %(d)s") % {"d": timezone.localtime(t.bid_deadline).strftime("%Y-%m-%d %H:%M")},
                        url=reverse("procurement:bid-submit", args=[t.pk]),
                    )
                    for t in tenders
                ],
                empty_text=_("目前没有正在招标的项目。"),
                order=23,
            )
        )
    if getattr(user, "expert", None) is not None:
        members = list(
            panel_list(user=user)
            .filter(tender__status=Tender.Status.EVALUATION, has_conflict=False)
            .annotate(valid=Count("tender__bids", filter=Q(tender__bids__disqualification_reasons=[])))
        )
        scored = dict(
            BidScore.objects.filter(expert__user=user, bid__tender__in=[m.tender_id for m in members])
            .values("bid__tender_id")
            .annotate(n=Count("id"))
            .values_list("bid__tender_id", "n")
        )
        items = []
        for m in members:
            if m.declared_at is None:
                detail = _("请先声明有无利益冲突")
            elif scored.get(m.tender_id, 0) < m.valid:
                detail = _("已评 %(n)d / %(total)d 份投标") % {"n": scored.get(m.tender_id, 0), "total": m.valid}
            else:
                continue
            url = reverse("procurement:panel-detail", args=[m.tender_id])
            items.append(AttentionItem(title=str(m.tender), detail=detail, url=url))
        sections.append(
            AttentionSection(
                title=_("待声明或评分的评审项目"),
                items=items[:LIMIT],
                empty_text=_("没有待完成的评审。"),
                order=24,
            )
        )
    return sections


@register
def plan_sections(user) -> list[AttentionSection]:
    """Service plans (P3, P7): a town officer's plans awaiting town review; the bureau's plans awaiting
    approval and filed items awaiting its decision; an agency's active packages whose plan is not started,
    still a draft (or an amendment) or returned."""
    from .models import ServicePackage, ServicePlan
    from .selectors import package_list, plan_filed_pending_list, plan_list

    scope = scope_for(user)
    sections: list[AttentionSection] = []

    def plan_item(plan, detail: str) -> AttentionItem:
        return AttentionItem(
            title=str(plan.package),
            detail=detail,
            url=reverse("procurement:plan-detail", args=[plan.package_id]),
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
                        url=reverse("procurement:plan-detail", args=[i.plan.package_id]),
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
                AttentionItem(
                    title=str(package), detail=detail, url=reverse("procurement:plan-detail", args=[package.pk])
                )
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
    from .models import FocusIssue, ServicePackage, ServiceReport
    from .selectors import focus_issue_list, package_list, report_list
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
            list_url = reverse("procurement:report-list", args=[package.pk])
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


@register
def package_sections(user) -> list[AttentionSection]:
    """A district officer's active packages of its towns not yet co-signed (会签)."""
    from .models import ServicePackage
    from .selectors import package_list

    scope = scope_for(user)
    if not scope.district_ids:
        return []
    waiting = (
        package_list(user=user)
        .filter(status=ServicePackage.Status.ACTIVE, cosigned_at__isnull=True, town__district_id__in=scope.district_ids)
        .order_by("starts_on", "pk")
    )
    return [
        AttentionSection(
            title=_("待区民政局会签的服务项目包"),
            items=[
                AttentionItem(
                    title=str(p),
                    detail=_("%(town)s · %(agency)s · 自 %(d)s 起")
                    % {
                        "town": p.town.name,
                        "agency": p.agency,
                        "d": p.starts_on.isoformat(),
                    },
                    url=p.get_absolute_url(),
                )
                for p in waiting[:LIMIT]
            ],
            empty_text=_("本区执行中的服务项目包都已会签。"),
            order=14,
            total=waiting.count(),
        )
    ]

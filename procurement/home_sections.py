"""Home-page sections for procurement (see core/attention.py)."""

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.attention import AttentionItem, AttentionSection, register
from directory.models import Organisation, Role
from directory.permissions import scope_for
from procurement.models import Agency, Certificate, QualificationApplication, StaffMember

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
                    title=_("%(name)s 的社工证书将于 %(date)s 到期。")
                    % {"name": s.name, "date": cert.expires_on.isoformat()},
                    url=url,
                )
            )
        elif cert is None:
            latest = next(iter(s.certificates.all()), None)
            if latest is not None and latest.expires_on < today:
                warnings.append(
                    AttentionItem(
                        title=_("%(name)s 的社工证书已于 %(date)s 过期，不再计入持证社工。")
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

    from procurement.models import BidScore, Tender, TenderExpert
    from procurement.selectors import bid_mine_list, panel_list, tender_open_list

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
def package_sections(user) -> list[AttentionSection]:
    """A district officer's active packages of its towns not yet co-signed (会签)."""
    from procurement.models import ServicePackage
    from procurement.selectors import package_list

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

"""Home-page sections for funds (see core/attention.py): grants waiting for a committee member's vote, approved
grants the grantee or manager still has to close, and for the bureau the packages with instalments held."""

from decimal import Decimal

from django.db.models import F, Sum, Value
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from core.attention import AttentionItem, AttentionSection, register
from directory.permissions import is_bureau_admin

from .models import CommunityFund, FundMember, Instalment, MicroGrant
from .permissions import fund_roles

LIMIT = 20


def _vote_section(user) -> AttentionSection | None:
    committee_funds = [fund_id for fund_id, roles in fund_roles(user).items() if "committee" in roles]
    if not committee_funds:
        return None
    grants = (
        MicroGrant.objects.filter(fund_id__in=committee_funds, status=MicroGrant.Status.SUBMITTED)
        .exclude(votes__voter=user)
        .select_related("fund")
        .order_by("applied_at")[:LIMIT]
    )
    return AttentionSection(
        title=_("待我表决的微项目"),
        items=[
            AttentionItem(
                title=g.title,
                url=reverse("funds:grant-detail", args=[g.pk]),
                detail=_("%(f)s · %(a)s 元") % {"f": g.fund.name, "a": f"{g.amount:,.2f}"},
            )
            for g in grants
        ],
        empty_text=_("没有待表决的微项目。"),
        order=40,
    )


def _close_section(user) -> AttentionSection | None:
    managed = [fund_id for fund_id, roles in fund_roles(user).items() if "manager" in roles]
    grants = list(
        MicroGrant.objects.filter(status=MicroGrant.Status.APPROVED, applied_by=user).select_related("fund")[:LIMIT]
    )
    if managed:
        grants += list(
            MicroGrant.objects.filter(status=MicroGrant.Status.APPROVED, fund_id__in=managed)
            .exclude(applied_by=user)
            .select_related("fund")[:LIMIT]
        )
    if not grants:
        return None
    return AttentionSection(
        title=_("待结项的微项目"),
        items=[
            AttentionItem(title=g.title, url=reverse("funds:grant-detail", args=[g.pk]), detail=g.fund.name)
            for g in grants
        ],
        order=41,
    )


def _unpaid_section() -> AttentionSection:
    """The bureau: packages with a milestone-free instalment (signature / year start) reached and not paid.
    Held instalments and those waiting for evaluations are on each package's money page."""
    due = list(
        Instalment.objects.filter(milestone="start", planned_on__lte=timezone.localdate())
        .annotate(paid=Coalesce(Sum("payments__amount"), Value(Decimal("0"))))
        .filter(paid__lt=F("amount"))
        .select_related("package__town")
        .order_by("planned_on", "pk")[:LIMIT]
    )
    return AttentionSection(
        title=_("应拨付的签约/年初款项"),
        items=[
            AttentionItem(
                title=f"{i.package.town.name} · {i.package.title}",
                url=reverse("funds:package-money", args=[i.package_id]),
                detail=_("第 %(y)d 服务年度，计划 %(d)s，%(a)s 元")
                % {"y": i.plan_year, "d": i.planned_on, "a": f"{i.amount:,.2f}"},
            )
            for i in due
        ],
        empty_text=_("没有待拨付的签约/年初款项。"),
        order=42,
    )


def _my_funds_section(user) -> AttentionSection | None:
    roles = fund_roles(user)
    if not roles:
        return None
    funds = CommunityFund.objects.filter(pk__in=list(roles)).order_by("name")
    return AttentionSection(
        title=_("我参与的社区基金"),
        items=[
            AttentionItem(
                title=f.name,
                url=reverse("funds:fund-detail", args=[f.pk]),
                detail="、".join(str(FundMember.Role(r).label) for r in sorted(roles[f.pk])),
            )
            for f in funds
        ],
        order=39,
    )


@register
def funds_sections(user) -> list[AttentionSection]:
    if not user.is_authenticated:
        return []
    sections = [s for s in (_my_funds_section(user), _vote_section(user), _close_section(user)) if s]
    if is_bureau_admin(user):
        sections.append(_unpaid_section())
    return sections

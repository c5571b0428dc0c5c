"""Home-page sections that the directory itself can fill (see attention.py)."""

from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from core.attention import AttentionItem, AttentionSection, register

from .models import Membership, Organisation, Role
from .permissions import scope_for
from .selectors import town_list, users_without_membership

LIMIT = 20


@register
def directory_sections(user) -> list[AttentionSection]:
    scope = scope_for(user)
    sections: list[AttentionSection] = []
    if scope.has(Role.BUREAU_ADMIN):
        users = list(users_without_membership().order_by("username")[:LIMIT])
        sections.append(
            AttentionSection(
                title=_("尚未分配角色的用户"),
                items=[
                    AttentionItem(title=str(u), url=reverse("admin:directory_user_change", args=[u.pk])) for u in users
                ],
                empty_text=_("所有用户都已分配角色。"),
                order=10,
            )
        )
        # Village committees without users yet are normal, not news: a count with a link, not a list.
        orphans = Organisation.objects.filter(is_active=True).exclude(
            pk__in=Membership.objects.filter(is_active=True).values("organisation_id")
        )
        count = orphans.count()
        sections.append(
            AttentionSection(
                title=_("没有任何成员的组织"),
                items=[
                    AttentionItem(
                        title=_("%(n)d 个组织尚无成员") % {"n": count},
                        detail=_("多为尚未开通账号的居委会、村委会"),
                        url=reverse("admin:directory_organisation_changelist") + "?members=none&is_active__exact=1",
                    )
                ]
                if count
                else [],
                empty_text=_("每个组织都有成员。"),
                order=11,
            )
        )
    if scope.district_ids or scope.town_ids:
        towns = town_list(user=user).filter(Q(district_id__in=scope.district_ids) | Q(id__in=scope.town_ids))
        sections.append(
            AttentionSection(
                title=_("辖区街镇"),
                items=[
                    AttentionItem(title=t.name, detail=_("%(n)d 个社区（村）") % {"n": t.community_count})
                    for t in towns
                ],
                empty_text=_("辖区内暂无街镇。"),
                order=50,
            )
        )
    if scope.agency_ids and scope.has(Role.AGENCY_MANAGER):
        incomplete = Organisation.objects.filter(id__in=scope.orgs_for(Role.AGENCY_MANAGER)).filter(
            Q(uscc__isnull=True) | Q(address="") | Q(contact_phone="")
        )
        sections.append(
            AttentionSection(
                title=_("机构资料待完善"),
                items=[
                    AttentionItem(title=str(o), detail=_("统一社会信用代码、地址或联系电话缺失")) for o in incomplete
                ],
                empty_text=_("机构资料完整。"),
                order=20,
            )
        )
    return sections

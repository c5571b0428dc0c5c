from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import register
from directory.models import Role
from directory.permissions import scope_for


@register(order=20)
def procurement_links(user) -> list[tuple[str, str]]:
    links = [
        (_("招标公告"), reverse("procurement:tender-public-list")),
    ]
    if not user.is_authenticated:
        return links
    scope = scope_for(user)
    if scope.sees_all:
        links += [
            (_("招标项目"), reverse("procurement:tender-list")),
            (_("社工机构"), reverse("procurement:agency-list")),
            (_("资格申请"), reverse("procurement:qualification-list")),
        ]
    if scope.has(Role.AGENCY_MANAGER):
        links += [
            (_("我的机构"), reverse("procurement:agency-mine")),
            (_("可投标项目"), reverse("procurement:tender-open-list")),
            (_("我的投标"), reverse("procurement:bid-mine")),
        ]
    if scope.has(Role.EXPERT):
        links.append((_("评审任务"), reverse("procurement:panel-list")))
    if scope.sees_all or scope.agency_ids or scope.town_ids or scope.district_ids or scope.community_ids:
        links.append((_("项目包"), reverse("procurement:package-list")))
    return links

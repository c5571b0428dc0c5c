"""Top-navigation links of evaluation (see core/navigation.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import register
from directory.models import Role
from directory.permissions import scope_for


@register(order=40)
def evaluation_links(user) -> list[tuple[str, str]]:
    if not user.is_authenticated:
        return []
    scope = scope_for(user)
    places = bool(scope.agency_ids or scope.town_ids or scope.district_ids or scope.community_ids)
    links = []
    if scope.has(Role.EVALUATOR) and not scope.sees_all:
        links.append((_("我的评估任务"), reverse("evaluation:evaluation-list")))
    elif scope.sees_all or places:
        links.append((_("第三方评估"), reverse("evaluation:evaluation-list")))
    if scope.sees_all or places:
        links.append((_("双向考核"), reverse("evaluation:round-list")))
    if scope.sees_all:
        links.append((_("年度抽查"), reverse("evaluation:spot-check-list")))
    return links

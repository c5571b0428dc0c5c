"""Top-navigation links of funds (see core/navigation.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import register
from directory.models import Role
from directory.permissions import scope_for

from .permissions import can_view_sources


@register(order=50)
def funds_links(user) -> list[tuple[str, str]]:
    if not user.is_authenticated:
        return [(_("基金信息公开"), reverse("funds:public-list"))]
    scope = scope_for(user)
    links = []
    if can_view_sources(user):
        links.append((_("资金来源"), reverse("funds:source-list")))
    if scope.sees_all or scope.agency_ids or scope.town_ids or scope.district_ids:
        links.append((_("项目包资金"), reverse("funds:package-list")))
    # Committee membership is per fund (not a role): members reach their fund from the home page, so that the
    # navigation costs no query of its own on every page.
    if scope.sees_all or scope.has(Role.FUND_MANAGER) or scope.town_ids or scope.district_ids:
        links.append((_("社区基金"), reverse("funds:fund-list")))
    return links

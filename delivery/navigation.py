from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import register
from directory.permissions import scope_for


@register(order=30)
def delivery_links(user) -> list[tuple[str, str]]:
    if not user.is_authenticated:
        return []
    scope = scope_for(user)
    if scope.sees_all or scope.agency_ids or scope.town_ids or scope.district_ids or scope.community_ids:
        return [(_("焦点问题"), reverse("delivery:focus-issue-list"))]
    return []

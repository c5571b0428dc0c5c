from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import register


@register(order=10)
def catalogue_links(user) -> list[tuple[str, str]]:
    return [(_("服务目录"), reverse("catalog:item-list"))] if user.is_authenticated else []

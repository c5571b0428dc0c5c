from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import register


@register(order=21)
def statistics_links(user) -> list[tuple[str, str]]:
    return [(_("全市统计"), reverse("reporting:city-statistics"))]

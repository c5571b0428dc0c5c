from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import register


@register(order=21)
def statistics_links(user) -> list[tuple[str, str]]:
    return [(_("全市统计"), reverse("reporting:city-statistics"))]


@register(order=62)
def compliance_report_link(user) -> list[tuple[str, str]]:
    from .permissions import can_request_r4

    return [(_("合规报告"), reverse("reporting:compliance-report"))] if can_request_r4(user) else []

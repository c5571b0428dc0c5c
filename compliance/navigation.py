"""Top-navigation link of compliance (see core/navigation.py)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import register

from .permissions import has_findings_scope


@register(order=45)
def compliance_links(user) -> list[tuple[str, str]]:
    if not user.is_authenticated or not has_findings_scope(user):
        return []
    return [(_("合规检查"), reverse("compliance:finding-list"))]

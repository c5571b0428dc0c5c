from django.urls import reverse
from django.utils.translation import gettext as _

from core.navigation import register

from .permissions import can_view_login_attempts


@register(order=90)
def directory_links(user) -> list[tuple[str, str]]:
    if user.is_authenticated and can_view_login_attempts(user):
        return [(_("登录记录"), reverse("directory:login-attempt-list"))]
    return []

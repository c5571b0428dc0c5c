from django.conf import settings

from core.navigation import links_for

from .permissions import can_use_admin


def platform(request):
    user = getattr(request, "user", None)
    return {
        "site_name": settings.SITE_NAME,
        "can_use_admin": bool(user is not None and user.is_authenticated and can_use_admin(user)),
        "nav_links": links_for(user) if user is not None else [],
    }

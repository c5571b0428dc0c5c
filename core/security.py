"""Who is knocking: the client address that login throttling (django-axes) counts failures by."""

from __future__ import annotations

from django.conf import settings


def client_ip(request) -> str:
    """REMOTE_ADDR, or behind TRUSTED_PROXY_COUNT reverse proxies the address the outermost trusted proxy saw.

    X-Forwarded-For is read only when proxies are declared, and from the right (the part proxies append):
    a client can put anything at its left end, and would otherwise escape the per-address throttle."""
    proxies = getattr(settings, "TRUSTED_PROXY_COUNT", 0)
    if proxies > 0:
        hops = [h.strip() for h in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if h.strip()]
        if len(hops) >= proxies:
            return hops[-proxies]
    return request.META.get("REMOTE_ADDR", "") or "0.0.0.0"


def lockout_response(request, original_response=None, credentials=None):
    """The page a locked-out login gets (django-axes' AXES_LOCKOUT_CALLABLE): 429, in Chinese, saying when
    to try again and who can unlock sooner."""
    from axes.helpers import get_cool_off
    from django.shortcuts import render
    from django.utils import timezone

    cool_off = get_cool_off(request)
    minutes = max(1, round(cool_off.total_seconds() / 60)) if cool_off else None
    context = {
        "retry_at": timezone.localtime(timezone.now() + cool_off) if cool_off else None,
        "minutes": minutes,
        "failure_limit": settings.AXES_FAILURE_LIMIT,
    }
    response = render(request, "registration/lockout.html", context, status=429)
    if minutes:
        response["Retry-After"] = str(minutes * 60)
    return response

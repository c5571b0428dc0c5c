from .selectors import unread_count


def bell(request):
    """The unread count for the bell in the top bar. Lazy: the COUNT runs only when a template shows the bell,
    at most once per request, and never for an anonymous visitor."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    def count() -> int:
        cached = getattr(request, "_sw_unread_count", None)
        if cached is None:
            cached = request._sw_unread_count = unread_count(user=user)
        return cached

    return {"notifications_unread": count}

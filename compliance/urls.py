"""Compliance pages, mounted at /compliance/ (see views.py)."""

from .views import urlpatterns as _patterns

app_name = "compliance"
urlpatterns = _patterns

"""Money pages, mounted at /funds/ (see views.py)."""

from .views import urlpatterns as _patterns

app_name = "funds"
urlpatterns = _patterns

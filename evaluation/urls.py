"""Pages of evaluation, mounted at /evaluation/ (see views/)."""

from .views import urlpatterns as _patterns

app_name = "evaluation"
urlpatterns = _patterns

from .api import urlpatterns as _patterns

urlpatterns = _patterns

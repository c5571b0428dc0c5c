from .views import urlpatterns as _patterns

app_name = "procurement"
urlpatterns = _patterns

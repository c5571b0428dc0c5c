from .views import urlpatterns as _patterns

app_name = "delivery"
urlpatterns = _patterns

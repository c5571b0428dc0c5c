from .views import urlpatterns as _patterns

app_name = "reporting"
urlpatterns = _patterns

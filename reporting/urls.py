from .search import urlpatterns as _search_patterns
from .views import urlpatterns as _patterns

app_name = "reporting"
urlpatterns = _patterns + _search_patterns

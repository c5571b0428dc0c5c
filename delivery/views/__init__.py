"""Pages of delivery, one module per area; each module defines its own `urlpatterns`."""

from .evidence import urlpatterns as _evidence
from .focus import urlpatterns as _focus
from .plans import urlpatterns as _plans
from .reports import urlpatterns as _reports

urlpatterns: list = []
urlpatterns += _plans
urlpatterns += _reports
urlpatterns += _focus
urlpatterns += _evidence

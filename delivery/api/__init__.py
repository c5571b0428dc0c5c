"""The delivery API (/api/v1/delivery/), one module per area; each module defines `urlpatterns`."""

from .plans import urlpatterns as _plans
from .reports import urlpatterns as _reports

urlpatterns: list = []
urlpatterns += _plans
urlpatterns += _reports

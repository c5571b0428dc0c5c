"""The procurement API (/api/v1/procurement/), one module per area; each module defines `urlpatterns`."""

from .agencies import urlpatterns as _agencies
from .plans import urlpatterns as _plans
from .reports import urlpatterns as _reports
from .statistics import urlpatterns as _statistics
from .tenders import urlpatterns as _tenders

urlpatterns: list = []
urlpatterns += _agencies
urlpatterns += _tenders
urlpatterns += _plans
urlpatterns += _reports
urlpatterns += _statistics

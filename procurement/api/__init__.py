"""The procurement API (/api/v1/procurement/), one module per area; each module defines `urlpatterns`."""

from .agencies import urlpatterns as _agencies
from .tenders import urlpatterns as _tenders

urlpatterns: list = []
urlpatterns += _agencies
urlpatterns += _tenders

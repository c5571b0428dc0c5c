"""Pages of procurement, one module per area; each module defines its own `urlpatterns`."""

from .agencies import urlpatterns as _agencies
from .focus import urlpatterns as _focus
from .plans import urlpatterns as _plans
from .public import urlpatterns as _public
from .reports import urlpatterns as _reports
from .tenders import urlpatterns as _tenders

urlpatterns: list = []
urlpatterns += _public
urlpatterns += _agencies
urlpatterns += _tenders
urlpatterns += _plans
urlpatterns += _reports
urlpatterns += _focus

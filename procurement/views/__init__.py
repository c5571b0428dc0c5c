"""Pages of procurement, one module per area; each module defines its own `urlpatterns`."""

from .agencies import urlpatterns as _agencies
from .public import urlpatterns as _public
from .tenders import urlpatterns as _tenders

urlpatterns: list = []
urlpatterns += _public
urlpatterns += _agencies
urlpatterns += _tenders

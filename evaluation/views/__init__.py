"""Pages of evaluation, one module per area; each module defines its own `urlpatterns`."""

from .assessments import urlpatterns as _assessments
from .evaluations import urlpatterns as _evaluations
from .spot_checks import urlpatterns as _spot_checks

urlpatterns = [*_evaluations, *_assessments, *_spot_checks]

"""Pages of evaluation, one module per area; each module defines its own `urlpatterns`."""

from .assessments import urlpatterns as _assessments
from .evaluations import urlpatterns as _evaluations

urlpatterns = [*_evaluations, *_assessments]

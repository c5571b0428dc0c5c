"""The compliance API, mounted at /api/v1/compliance/ in the `api-v1` namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("findings/", api.FindingListApi.as_view(), name="compliance-finding-list"),
    path("findings/<int:pk>/", api.FindingDetailApi.as_view(), name="compliance-finding-detail"),
    path("findings/<int:pk>/respond/", api.FindingRespondApi.as_view(), name="compliance-finding-respond"),
    path("findings/<int:pk>/waive/", api.FindingWaiveApi.as_view(), name="compliance-finding-waive"),
]

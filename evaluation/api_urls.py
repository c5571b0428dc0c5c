"""The evaluation API, mounted at /api/v1/evaluation/ in the `api-v1` namespace."""

from django.urls import path

from . import api

urlpatterns = [
    path("evaluations/", api.EvaluationListApi.as_view(), name="evaluation-list"),
    path("evaluations/assign/", api.EvaluationAssignApi.as_view(), name="evaluation-assign"),
    path("evaluations/<int:pk>/finalise/", api.EvaluationFinaliseApi.as_view(), name="evaluation-finalise"),
    path("assignments/<int:pk>/declare/", api.AssignmentDeclareApi.as_view(), name="evaluation-declare"),
    path("sheets/<int:pk>/", api.ScoreSheetSaveApi.as_view(), name="evaluation-sheet-save"),
    path("sheets/<int:pk>/submit/", api.ScoreSheetSubmitApi.as_view(), name="evaluation-sheet-submit"),
    path("assessment-rounds/", api.AssessmentRoundListApi.as_view(), name="evaluation-round-list"),
    path("assessment-rounds/open/", api.AssessmentRoundOpenApi.as_view(), name="evaluation-round-open"),
    path("assessment-rounds/<int:pk>/close/", api.AssessmentRoundCloseApi.as_view(), name="evaluation-round-close"),
    path("assessment-sheets/", api.AssessmentSheetListApi.as_view(), name="evaluation-assessment-sheet-list"),
    path("assessment-sheets/<int:pk>/", api.AssessmentSheetSaveApi.as_view(), name="evaluation-assessment-sheet-save"),
    path(
        "assessment-sheets/<int:pk>/submit/",
        api.AssessmentSheetSubmitApi.as_view(),
        name="evaluation-assessment-sheet-submit",
    ),
]

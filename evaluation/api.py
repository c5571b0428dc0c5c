"""The evaluation API (/api/v1/evaluation/): one view per operation, nested Input/Output serializers, the same
selectors, predicates and services as the pages. Errors: 400 with field errors (score errors are keyed
`score_<indicator id>` / `comment_<indicator id>`), 403 for a visible object the user may not act on, 404 for
anything outside the user's scope."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.generics import ListAPIView
from rest_framework.response import Response
from rest_framework.views import APIView

from core.forms import MAX_ID
from core.limits import NOTE_MAX_LENGTH
from core.permissions import require
from directory.models import Organisation
from procurement.models import ServicePackage
from procurement.selectors import package_get, package_list

from . import services
from .models import AssessmentIndicatorSet, Evaluation, Rubric, ScoreSheet
from .permissions import can_manage_assessments, can_manage_evaluations
from .selectors import (
    AssessmentRoundFilter,
    AssessmentSheetFilter,
    EvaluationFilter,
    assessment_round_list,
    assessment_sheet_list,
    assignment_list,
    evaluation_list,
)
from .services import ScoreEntry


class ScoreInputSerializer(serializers.Serializer):
    indicator = serializers.IntegerField()
    score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True, required=False)
    comment = serializers.CharField(allow_blank=True, required=False, default="", max_length=NOTE_MAX_LENGTH)


class ScoresInputSerializer(serializers.Serializer):
    scores = ScoreInputSerializer(many=True, required=False, default=list)

    @staticmethod
    def entries(data) -> dict[int, ScoreEntry]:
        return {s["indicator"]: ScoreEntry(score=s.get("score"), comment=s.get("comment", "")) for s in data["scores"]}


class EvaluationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    package = serializers.IntegerField(source="package_id")
    package_title = serializers.CharField(source="package.title")
    town = serializers.CharField(source="package.town.name")
    agency = serializers.CharField(source="package.agency.organisation.name")
    stage = serializers.CharField()
    status = serializers.CharField()
    firm = serializers.CharField(source="firm.name")
    rubric = serializers.CharField(source="rubric.__str__")
    due_on = serializers.DateField()
    # A5: the numbers exist only once finalised (null before).
    package_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    spread = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    two_way_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    two_way_weight = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    final_score = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    grade = serializers.CharField()
    finalised_by = serializers.CharField(source="finalised_by.__str__", allow_null=True, default=None)
    finalised_at = serializers.DateTimeField(allow_null=True)


class EvaluationListApi(ListAPIView):
    """Evaluations in the user's scope (A5: the agency and the place officers see only finalised ones)."""

    serializer_class = EvaluationOutputSerializer
    filterset_class = EvaluationFilter

    def get_queryset(self):
        return evaluation_list(user=self.request.user).order_by("due_on", "pk")


class EvaluationAssignApi(APIView):
    class InputSerializer(serializers.Serializer):
        package = serializers.IntegerField()
        stage = serializers.ChoiceField(choices=Evaluation.Stage.choices)
        firm = serializers.IntegerField()
        evaluators = serializers.ListField(child=serializers.IntegerField(min_value=1, max_value=MAX_ID), min_length=1)
        due_on = serializers.DateField(required=False, allow_null=True)
        rubric = serializers.IntegerField(required=False, allow_null=True)

    @extend_schema(request=InputSerializer, responses={201: EvaluationOutputSerializer})
    def post(self, request):
        require(can_manage_evaluations(request.user))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = data.validated_data
        package = package_get(user=request.user, pk=d["package"])
        firm = Organisation.objects.filter(pk=d["firm"], kind=Organisation.Kind.EVALUATION_FIRM).first()
        if firm is None:
            raise serializers.ValidationError({"firm": ["请选择一家第三方评估机构。"]})
        rubric = None
        if d.get("rubric"):
            rubric = Rubric.objects.filter(pk=d["rubric"]).first()
            if rubric is None:
                raise serializers.ValidationError({"rubric": ["评估指标体系不存在。"]})
        evaluation = services.evaluation_assign(
            actor=request.user,
            package=package,
            stage=d["stage"],
            firm=firm,
            evaluator_ids=d["evaluators"],
            due_on=d.get("due_on"),
            rubric=rubric,
        )
        return Response(EvaluationOutputSerializer(evaluation).data, status=status.HTTP_201_CREATED)


class EvaluationFinaliseApi(APIView):
    @extend_schema(request=None, responses=EvaluationOutputSerializer)
    def post(self, request, pk: int):
        evaluation = get_object_or_404(evaluation_list(user=request.user), pk=pk)
        require(can_manage_evaluations(request.user))
        evaluation = services.evaluation_finalise(actor=request.user, evaluation=evaluation)
        return Response(EvaluationOutputSerializer(evaluation).data)


class AssignmentDeclareApi(APIView):
    class InputSerializer(serializers.Serializer):
        has_conflict = serializers.BooleanField()
        note = serializers.CharField(allow_blank=True, required=False, default="", max_length=NOTE_MAX_LENGTH)

    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        evaluation = serializers.IntegerField(source="evaluation_id")
        declared_at = serializers.DateTimeField()
        has_conflict = serializers.BooleanField()
        removed = serializers.SerializerMethodField()

        def get_removed(self, obj) -> bool:
            return obj.removed_at is not None

    @extend_schema(request=InputSerializer, responses=OutputSerializer)
    def post(self, request, pk: int):
        assignment = get_object_or_404(assignment_list(user=request.user), pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        assignment = services.assignment_declare(actor=request.user, assignment=assignment, **data.validated_data)
        return Response(self.OutputSerializer(assignment).data)


class ScoreSheetOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    evaluation = serializers.IntegerField(source="assignment.evaluation_id")
    status = serializers.CharField()
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    submitted_at = serializers.DateTimeField(allow_null=True)
    scores = serializers.SerializerMethodField()

    def get_scores(self, obj) -> list[dict]:
        return [
            {"indicator": s.indicator_id, "score": None if s.score is None else str(s.score), "comment": s.comment}
            for s in obj.scores.order_by("indicator_id")
        ]


def _my_sheet(request, pk: int) -> ScoreSheet:
    """A score sheet of one of the user's own active assignments; any other sheet is 404."""
    return get_object_or_404(
        ScoreSheet.objects.select_related("assignment__evaluation").filter(
            assignment__in=assignment_list(user=request.user)
        ),
        pk=pk,
    )


class ScoreSheetSaveApi(APIView):
    InputSerializer = ScoresInputSerializer

    @extend_schema(request=ScoresInputSerializer, responses=ScoreSheetOutputSerializer)
    def post(self, request, pk: int):
        sheet = _my_sheet(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = services.score_sheet_save(
            actor=request.user, assignment=sheet.assignment, scores=data.entries(data.validated_data)
        )
        return Response(ScoreSheetOutputSerializer(sheet).data)


class ScoreSheetSubmitApi(APIView):
    """A3: submit (optionally with final scores); the sheet is locked afterwards."""

    InputSerializer = ScoresInputSerializer

    @extend_schema(request=ScoresInputSerializer, responses=ScoreSheetOutputSerializer)
    def post(self, request, pk: int):
        sheet = _my_sheet(request, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = services.score_sheet_submit(
            actor=request.user, assignment=sheet.assignment, scores=data.entries(data.validated_data) or None
        )
        return Response(ScoreSheetOutputSerializer(sheet).data)


# --- two-way assessment (A1) ---------------------------------------------------------------------


class AssessmentRoundOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    package = serializers.IntegerField(source="package_id")
    town = serializers.CharField(source="package.town.name")
    period = serializers.CharField()
    opens_on = serializers.DateField()
    closes_on = serializers.DateField()
    status = serializers.CharField()
    is_closed = serializers.BooleanField()


class AssessmentRoundListApi(ListAPIView):
    serializer_class = AssessmentRoundOutputSerializer
    filterset_class = AssessmentRoundFilter

    def get_queryset(self):
        return assessment_round_list(user=self.request.user).order_by("-period", "pk")


class AssessmentRoundOpenApi(APIView):
    class InputSerializer(serializers.Serializer):
        package = serializers.IntegerField()
        period = serializers.CharField(max_length=6)
        opens_on = serializers.DateField(required=False, allow_null=True)
        closes_on = serializers.DateField(required=False, allow_null=True)
        agency_indicator_set = serializers.IntegerField(required=False, allow_null=True)
        town_office_indicator_set = serializers.IntegerField(required=False, allow_null=True)

    @extend_schema(request=InputSerializer, responses={201: AssessmentRoundOutputSerializer})
    def post(self, request):
        require(can_manage_assessments(request.user))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        d = dict(data.validated_data)
        package = get_object_or_404(
            package_list(user=request.user).filter(status=ServicePackage.Status.ACTIVE), pk=d.pop("package")
        )
        for name in ("agency_indicator_set", "town_office_indicator_set"):
            if d.get(name):
                found = AssessmentIndicatorSet.objects.filter(pk=d[name]).first()
                if found is None:
                    raise serializers.ValidationError({name: ["指标集不存在。"]})
                d[name] = found
        round_ = services.assessment_round_open(actor=request.user, package=package, **d)
        return Response(AssessmentRoundOutputSerializer(round_).data, status=status.HTTP_201_CREATED)


class AssessmentRoundCloseApi(APIView):
    @extend_schema(request=None, responses=AssessmentRoundOutputSerializer)
    def post(self, request, pk: int):
        round_ = get_object_or_404(assessment_round_list(user=request.user), pk=pk)
        require(can_manage_assessments(request.user))
        round_ = services.assessment_round_close(actor=request.user, round_=round_)
        return Response(AssessmentRoundOutputSerializer(round_).data)


class AssessmentSheetOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    round = serializers.IntegerField(source="round_id")
    rater = serializers.CharField(source="rater_organisation.name")
    direction = serializers.CharField()
    status = serializers.CharField()
    total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    max_total = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)
    percent = serializers.DecimalField(max_digits=6, decimal_places=2, allow_null=True)


class AssessmentSheetListApi(ListAPIView):
    """The sheets the user may see (A1: the other side's only once the round is closed)."""

    serializer_class = AssessmentSheetOutputSerializer
    filterset_class = AssessmentSheetFilter

    def get_queryset(self):
        return assessment_sheet_list(user=self.request.user).order_by("-round__period", "pk")


class AssessmentSheetSaveApi(APIView):
    InputSerializer = ScoresInputSerializer

    @extend_schema(request=ScoresInputSerializer, responses=AssessmentSheetOutputSerializer)
    def post(self, request, pk: int):
        sheet = get_object_or_404(assessment_sheet_list(user=request.user), pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = services.assessment_sheet_save(
            actor=request.user, sheet=sheet, scores=data.entries(data.validated_data)
        )
        return Response(AssessmentSheetOutputSerializer(sheet).data)


class AssessmentSheetSubmitApi(APIView):
    InputSerializer = ScoresInputSerializer

    @extend_schema(request=ScoresInputSerializer, responses=AssessmentSheetOutputSerializer)
    def post(self, request, pk: int):
        sheet = get_object_or_404(assessment_sheet_list(user=request.user), pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        sheet = services.assessment_sheet_submit(
            actor=request.user, sheet=sheet, scores=data.entries(data.validated_data) or None
        )
        return Response(AssessmentSheetOutputSerializer(sheet).data)

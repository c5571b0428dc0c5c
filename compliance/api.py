"""The compliance API (/api/v1/compliance/): findings with the list page's filters, one finding with its history,
the responsible organisation's rectification (multipart, with an optional file) and the bureau's waiver. The
same selectors, predicates and services as the pages: an outsider gets 404, a refusal 403, bad input 400 with
field errors."""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.generics import ListAPIView
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.limits import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from core.permissions import require

from . import selectors, services
from .permissions import ANSWERABLE, can_respond_finding, can_waive_finding, is_finding_responder


class FindingOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField()
    rule_name = serializers.CharField(source="get_rule_display")
    subject_key = serializers.CharField()
    severity = serializers.CharField()
    status = serializers.CharField()
    message = serializers.CharField()
    url = serializers.CharField()
    organisation = serializers.IntegerField(source="organisation_id", allow_null=True)
    organisation_name = serializers.CharField(source="organisation.name", allow_null=True, default=None)
    district = serializers.IntegerField(source="district_id", allow_null=True)
    town = serializers.IntegerField(source="town_id", allow_null=True)
    community = serializers.IntegerField(source="community_id", allow_null=True)
    package = serializers.IntegerField(source="package_id", allow_null=True)
    first_seen_at = serializers.DateTimeField()
    last_seen_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)


class FindingEventOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    actor = serializers.SerializerMethodField()
    text = serializers.CharField()
    created_at = serializers.DateTimeField()
    attachment_name = serializers.CharField()
    attachment_content_type = serializers.CharField()
    download = serializers.SerializerMethodField()

    def get_actor(self, obj) -> str | None:
        """Who did it; null for the nightly sweep."""
        return str(obj.actor) if obj.actor_id else None

    def get_download(self, obj) -> str | None:
        return reverse("compliance:finding-attachment", args=[obj.pk]) if obj.attachment else None


class FindingDetailOutputSerializer(FindingOutputSerializer):
    details = serializers.DictField()
    events = serializers.SerializerMethodField()
    can_respond = serializers.SerializerMethodField()
    can_waive = serializers.SerializerMethodField()

    def get_events(self, obj) -> list[dict]:
        return FindingEventOutputSerializer(selectors.finding_events(obj), many=True).data

    def get_can_respond(self, obj) -> bool:
        return can_respond_finding(self.context["request"].user, obj)

    def get_can_waive(self, obj) -> bool:
        return can_waive_finding(self.context["request"].user, obj)


def _detail(request, pk: int) -> Response:
    finding = selectors.finding_get(user=request.user, pk=pk)
    return Response(FindingDetailOutputSerializer(finding, context={"request": request}).data)


class FindingListApi(ListAPIView):
    """Findings the caller may see, newest first; open and answered ones unless `status` asks for others
    (`status=all` for every one). Filters: rule, severity, status, district, town, agency, package, age (days
    since first seen: 7, 30 or 90), responsible=mine (the ones the caller's organisations must answer)."""

    serializer_class = FindingOutputSerializer
    filterset_class = selectors.FindingFilter

    def get_queryset(self):
        return selectors.finding_list(user=self.request.user)


class FindingDetailApi(APIView):
    """One finding with its details and history; `can_respond` / `can_waive` say what the caller may do."""

    @extend_schema(responses=FindingDetailOutputSerializer)
    def get(self, request, pk: int):
        return _detail(request, pk)


class FindingRespondApi(APIView):
    """K8 整改: the responsible organisation answers with what it did (`text`) and optionally a file
    (`attachment`: JPG, PNG or PDF by content, at most 10 MB) — multipart/form-data, as the page does. The
    finding becomes `responded`; a waived or closed finding is refused (400)."""

    parser_classes = [MultiPartParser, FormParser]

    class InputSerializer(serializers.Serializer):
        text = serializers.CharField(max_length=TEXT_MAX_LENGTH)
        attachment = serializers.FileField(required=False)

    @extend_schema(request=InputSerializer, responses=FindingDetailOutputSerializer)
    def post(self, request, pk: int):
        finding = selectors.finding_get(user=request.user, pk=pk)
        require(is_finding_responder(request.user, finding), _("只有责任单位的人员可以提交整改说明。"))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.finding_respond(
            actor=request.user,
            finding=finding,
            text=data.validated_data["text"],
            attachment=data.validated_data.get("attachment"),
        )
        return _detail(request, pk)


class FindingWaiveApi(APIView):
    """K8: the bureau waives an open or answered finding with a written `reason`, kept in its history."""

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=NOTE_MAX_LENGTH)

    @extend_schema(request=InputSerializer, responses=FindingDetailOutputSerializer)
    def post(self, request, pk: int):
        finding = selectors.finding_get(user=request.user, pk=pk)
        if finding.status in ANSWERABLE:
            require(can_waive_finding(request.user, finding), _("只有民政局可以豁免合规问题。"))
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.finding_waive(actor=request.user, finding=finding, reason=data.validated_data["reason"])
        return _detail(request, pk)

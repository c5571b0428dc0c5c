"""API of monthly reports (S1–S4) and focus issues (S5): the same selectors, predicates and services as the
pages; outsiders get 404, refusals 403, bad input 400 with field errors."""

from __future__ import annotations

import datetime

from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.generics import GenericAPIView, ListAPIView
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from core.api import NumberOrTextField, RowListMixin, api_date, api_datetime
from core.forms import MAX_ID
from core.limits import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from delivery.models import FocusIssue, ServiceReport
from delivery.selectors import (
    FocusIssueFilter,
    ReportFilter,
    focus_issue_list,
    focus_issue_rows,
    report_get,
    report_list,
    report_rows,
)
from directory.models import Community
from procurement.selectors import package_get

from .. import workflow
from ..progress import package_progress_report
from ..services import focus as focus_services
from ..services import reports as services


class ReportOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    package = serializers.IntegerField(source="package_id")
    year = serializers.IntegerField()
    month = serializers.IntegerField()
    version = serializers.IntegerField()
    supersedes = serializers.IntegerField(source="supersedes_id", allow_null=True)
    status = serializers.CharField()
    summary = serializers.CharField()
    returned_reason = serializers.CharField()
    due_on = serializers.SerializerMethodField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    confirmed_at = serializers.DateTimeField(allow_null=True)

    def get_due_on(self, obj) -> datetime.date:
        return workflow.report_due_date(obj.package, obj.year, obj.month)


class ReportDetailOutputSerializer(ReportOutputSerializer):
    lines = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()

    def get_lines(self, obj) -> list[dict]:
        return [
            {
                "plan_item": line.plan_item_id,
                "name": line.plan_item.display_name,
                "community": line.plan_item.community.name if line.plan_item.community_id else None,
                "unit": line.plan_item.unit,
                "annual_target": line.plan_item.annual_target,
                "sessions": line.sessions,
                "attendances": line.attendances,
                "households": line.households,
                "volunteer_hours": str(line.volunteer_hours),
                "narrative": line.narrative,
            }
            for line in obj.lines.select_related("plan_item__item", "plan_item__community")
        ]

    def get_attachments(self, obj) -> list[dict]:
        return [
            {
                "id": a.pk,
                "line": a.line_id,
                "original_name": a.original_name,
                "content_type": a.content_type,
                "size": a.size,
                "sha256": a.sha256,
                "download": reverse("delivery:report-attachment", args=[a.pk]),
            }
            for a in obj.attachments.all()
        ]


class ReportListCreateApi(GenericAPIView):
    """GET: every report version of a package the caller may see, filtered like the report list (e.g.
    `?year=2025&month=3&status=submitted`), as one list. POST: the package's agency opens the draft of a month
    (S1), with a line per counting plan item (S2)."""

    # A package's reports are at most a few dozen (one per month and version): answered whole, not paged.
    pagination_class = None
    queryset = ServiceReport.objects.none()  # rows come from report_list; this names the model for the schema
    filterset_class = ReportFilter

    class InputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        month = serializers.IntegerField(min_value=1, max_value=12)

    @extend_schema(responses=ReportOutputSerializer(many=True))
    def get(self, request, pk: int):
        package = package_get(user=request.user, pk=pk)
        reports = self.filter_queryset(
            report_list(user=request.user, package=package).order_by("-year", "-month", "-version")
        )
        return Response(ReportOutputSerializer(reports, many=True).data)

    @extend_schema(request=InputSerializer, responses={201: ReportDetailOutputSerializer})
    def post(self, request, pk: int):
        package = package_get(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_create(actor=request.user, package=package, **data.validated_data)
        return Response(ReportDetailOutputSerializer(report).data, status=status.HTTP_201_CREATED)


class ReportListApi(RowListMixin, ListAPIView):
    """Every report version the caller may see, across packages, filtered by district, town, agency, package,
    year, month and status (e.g. `?town=12&year=2025&month=3`), newest first."""

    serializer_class = ReportOutputSerializer  # the schema; the rows are written by `rows` (issue 14)
    filterset_class = ReportFilter
    row_columns = (
        "id",
        "package_id",
        "year",
        "month",
        "version",
        "supersedes_id",
        "status",
        "summary",
        "returned_reason",
        "package__round__report_due_day",
        "submitted_at",
        "confirmed_at",
    )

    def get_queryset(self):
        return report_rows(user=self.request.user).order_by("-year", "-month", "package_id", "-version")

    def rows(self, page):
        return [
            {
                "id": pk,
                "package": package_id,
                "year": year,
                "month": month,
                "version": version,
                "supersedes": supersedes_id,
                "status": status,
                "summary": summary,
                "returned_reason": returned_reason,
                "due_on": workflow.report_due_on(year, month, due_day).isoformat(),
                "submitted_at": api_datetime(submitted_at),
                "confirmed_at": api_datetime(confirmed_at),
            }
            for (
                pk,
                package_id,
                year,
                month,
                version,
                supersedes_id,
                status,
                summary,
                returned_reason,
                due_day,
                submitted_at,
                confirmed_at,
            ) in page
        ]


class AttachmentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    report = serializers.IntegerField(source="report_id")
    line = serializers.IntegerField(source="line_id", allow_null=True)
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    download = serializers.SerializerMethodField()

    def get_download(self, obj) -> str:
        return reverse("delivery:report-attachment", args=[obj.pk])


class ReportAttachmentCreateApi(APIView):
    """Upload a photo or sign-in sheet (JPG, PNG or PDF by content, at most 10 MB) to a draft or returned
    report, optionally for one of its lines (`line`: the line's id) — multipart/form-data, as the page does."""

    parser_classes = [MultiPartParser]

    class InputSerializer(serializers.Serializer):
        file = serializers.FileField()
        line = serializers.IntegerField(required=False, min_value=1, max_value=MAX_ID)

    @extend_schema(request=InputSerializer, responses={201: AttachmentOutputSerializer})
    def post(self, request, pk: int):
        report = report_get(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        line = None
        if "line" in data.validated_data:
            line = report.lines.filter(pk=data.validated_data["line"]).first()
            if line is None:
                raise serializers.ValidationError({"line": [_("所选条目不属于本报告。")]})
        attachment = services.report_attach(
            actor=request.user, report=report, file=data.validated_data["file"], line=line
        )
        return Response(AttachmentOutputSerializer(attachment).data, status=status.HTTP_201_CREATED)


class ReportLineInputSerializer(serializers.Serializer):
    """One line of a draft: its plan item and the fields to change. The values are passed on as sent, so the
    service can name the cell that is wrong (`line-<plan item>-<field>`)."""

    plan_item = serializers.IntegerField()
    sessions = NumberOrTextField(required=False, allow_null=True)
    attendances = NumberOrTextField(required=False, allow_null=True)
    households = NumberOrTextField(required=False, allow_null=True)
    volunteer_hours = NumberOrTextField(required=False, allow_null=True)
    narrative = serializers.CharField(required=False, allow_null=True, allow_blank=True, max_length=NOTE_MAX_LENGTH)


class ReportDetailApi(APIView):
    """GET: one report with its lines and attachments. PATCH: save the draft (summary and lines, each line
    `{"plan_item": id, "sessions": …}`); errors are keyed `line-<plan item>-<field>`."""

    class InputSerializer(serializers.Serializer):
        summary = serializers.CharField(required=False, allow_blank=True, max_length=TEXT_MAX_LENGTH)
        lines = ReportLineInputSerializer(many=True, required=False, max_length=1000)

    @extend_schema(responses=ReportDetailOutputSerializer)
    def get(self, request, pk: int):
        return Response(ReportDetailOutputSerializer(report_get(user=request.user, pk=pk)).data)

    @extend_schema(request=InputSerializer, responses=ReportDetailOutputSerializer)
    def patch(self, request, pk: int):
        report = report_get(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        lines = {}
        for row in data.validated_data.get("lines", []):
            lines[row["plan_item"]] = {k: v for k, v in row.items() if k in services.LINE_FIELDS}
        report = services.report_save_draft(
            actor=request.user, report=report, summary=data.validated_data.get("summary"), lines=lines
        )
        return Response(ReportDetailOutputSerializer(report).data)


class ReportSubmitApi(APIView):
    @extend_schema(request=None, responses=ReportOutputSerializer)
    def post(self, request, pk: int):
        report = services.report_submit(actor=request.user, report=report_get(user=request.user, pk=pk))
        return Response(ReportOutputSerializer(report).data)


class ReportConfirmApi(APIView):
    @extend_schema(request=None, responses=ReportOutputSerializer)
    def post(self, request, pk: int):
        report = services.report_confirm(actor=request.user, report=report_get(user=request.user, pk=pk))
        return Response(ReportOutputSerializer(report).data)


class ReportReturnApi(APIView):
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(allow_blank=True, max_length=NOTE_MAX_LENGTH)

    @extend_schema(request=InputSerializer, responses=ReportOutputSerializer)
    def post(self, request, pk: int):
        report = report_get(user=request.user, pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.report_return(actor=request.user, report=report, reason=data.validated_data["reason"])
        return Response(ReportOutputSerializer(report).data)


class ReportCorrectApi(APIView):
    @extend_schema(request=None, responses={201: ReportDetailOutputSerializer})
    def post(self, request, pk: int):
        correction = services.report_correct(actor=request.user, report=report_get(user=request.user, pk=pk))
        return Response(ReportDetailOutputSerializer(correction).data, status=status.HTTP_201_CREATED)


class ProgressItemSerializer(serializers.Serializer):
    plan_item = serializers.IntegerField(source="plan_item.pk")
    name = serializers.CharField(source="plan_item.display_name")
    unit = serializers.CharField(source="plan_item.unit")
    target = serializers.IntegerField()
    output_to_date = serializers.IntegerField()
    progress_pct = serializers.DecimalField(max_digits=7, decimal_places=1)
    expected_pct = serializers.DecimalField(max_digits=5, decimal_places=1)
    lagging = serializers.BooleanField()


class PackageProgressApi(APIView):
    """S4 per plan item on `on` (default today): the plan year, its elapsed share, the lagging threshold and
    one row per counting item."""

    class OutputSerializer(serializers.Serializer):
        # An object, as the endpoint always answered; the schema promised a list of items before.
        plan_year = serializers.IntegerField()
        on = serializers.DateField()
        expected_pct = serializers.DecimalField(max_digits=5, decimal_places=1)
        lagging_threshold = serializers.DecimalField(max_digits=5, decimal_places=2)
        items = ProgressItemSerializer(many=True)

    @extend_schema(
        responses=OutputSerializer,
        parameters=[OpenApiParameter("on", OpenApiTypes.DATE, description="默认今天（YYYY-MM-DD）")],
    )
    def get(self, request, pk: int):
        package = package_get(user=request.user, pk=pk)
        try:
            on = datetime.date.fromisoformat(request.query_params.get("on") or timezone.localdate().isoformat())
        except ValueError:
            raise serializers.ValidationError({"on": ["日期格式应为 YYYY-MM-DD。"]}) from None
        progress = package_progress_report(package, on)
        data = {
            "plan_year": progress.plan_year,
            "on": on,
            "expected_pct": progress.expected_pct,
            "lagging_threshold": progress.threshold,
            "items": progress.items,
        }
        return Response(self.OutputSerializer(data).data)


class FocusIssueOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    community = serializers.CharField(source="community.name")
    community_id = serializers.IntegerField()
    town = serializers.CharField(source="community.town.name")
    package = serializers.IntegerField(source="package_id", allow_null=True)
    kind = serializers.CharField()
    title = serializers.CharField()
    description = serializers.CharField()
    status = serializers.CharField()
    resolution = serializers.CharField()
    resolved_on = serializers.DateField(allow_null=True)
    reported_at = serializers.DateTimeField()


class FocusIssueListApi(RowListMixin, ListAPIView):
    """Focus issues the caller may see (S5), filtered by `status`, `kind`, `community`, `town`."""

    serializer_class = FocusIssueOutputSerializer  # the schema; the rows are written by `rows` (issue 14)
    filterset_class = FocusIssueFilter
    row_columns = (
        "id",
        "community__name",
        "community_id",
        "community__town__name",
        "package_id",
        "kind",
        "title",
        "description",
        "status",
        "resolution",
        "resolved_on",
        "reported_at",
    )

    def get_queryset(self):
        return focus_issue_rows(user=self.request.user)

    def rows(self, page):
        keys = (
            "id",
            "community",
            "community_id",
            "town",
            "package",
            "kind",
            "title",
            "description",
            "status",
            "resolution",
        )
        return [
            {
                **dict(zip(keys, values[:10], strict=True)),
                "resolved_on": api_date(values[10]),
                "reported_at": api_datetime(values[11]),
            }
            for values in page
        ]


class FocusIssueCreateApi(APIView):
    class InputSerializer(serializers.Serializer):
        community = serializers.IntegerField()
        kind = serializers.ChoiceField(choices=FocusIssue.Kind.choices)
        title = serializers.CharField(max_length=200)
        description = serializers.CharField(max_length=TEXT_MAX_LENGTH)

    @extend_schema(request=InputSerializer, responses={201: FocusIssueOutputSerializer})
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        community = get_object_or_404(Community.objects.select_related("town"), pk=values.pop("community"))
        issue = focus_services.focus_issue_report(actor=request.user, community=community, **values)
        return Response(FocusIssueOutputSerializer(issue).data, status=status.HTTP_201_CREATED)


class FocusIssueMoveApi(APIView):
    class InputSerializer(serializers.Serializer):
        to_status = serializers.ChoiceField(choices=FocusIssue.Status.choices)
        note = serializers.CharField(required=False, allow_blank=True, default="", max_length=NOTE_MAX_LENGTH)
        resolution = serializers.CharField(
            required=False, allow_blank=True, allow_null=True, default=None, max_length=TEXT_MAX_LENGTH
        )
        resolved_on = serializers.DateField(required=False, allow_null=True, default=None)

    @extend_schema(request=InputSerializer, responses=FocusIssueOutputSerializer)
    def post(self, request, pk: int):
        issue = get_object_or_404(focus_issue_list(user=request.user), pk=pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        issue = focus_services.focus_issue_move(actor=request.user, issue=issue, **data.validated_data)
        return Response(FocusIssueOutputSerializer(issue).data)


urlpatterns = [
    path("packages/<int:pk>/reports/", ReportListCreateApi.as_view(), name="delivery-report-list"),
    path("packages/<int:pk>/progress/", PackageProgressApi.as_view(), name="delivery-package-progress"),
    path("reports/", ReportListApi.as_view(), name="delivery-report-list-all"),
    path("reports/<int:pk>/", ReportDetailApi.as_view(), name="delivery-report-detail"),
    path("reports/<int:pk>/attachments/", ReportAttachmentCreateApi.as_view(), name="delivery-report-attach"),
    path("reports/<int:pk>/submit/", ReportSubmitApi.as_view(), name="delivery-report-submit"),
    path("reports/<int:pk>/confirm/", ReportConfirmApi.as_view(), name="delivery-report-confirm"),
    path("reports/<int:pk>/return/", ReportReturnApi.as_view(), name="delivery-report-return"),
    path("reports/<int:pk>/correct/", ReportCorrectApi.as_view(), name="delivery-report-correct"),
    path("focus-issues/", FocusIssueListApi.as_view(), name="delivery-focus-issue-list"),
    path("focus-issues/new/", FocusIssueCreateApi.as_view(), name="delivery-focus-issue-create"),
    path("focus-issues/<int:pk>/move/", FocusIssueMoveApi.as_view(), name="delivery-focus-issue-move"),
]

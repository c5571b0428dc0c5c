"""Admin of service reports and focus issues: read-only desks for the bureau. Reports change only through the
S3 workflow (a confirmed report is immutable) and focus issues through their S5 moves, both on the pages."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from delivery.models import FocusIssue, FocusIssueEvent, ReportAttachment, ReportLine, ServiceReport
from directory.admin_site import ReadOnlyAdminMixin


class ReadOnlyInline(ReadOnlyAdminMixin, admin.TabularInline):
    extra = 0
    can_delete = False
    show_change_link = False


class ReportLineInline(ReadOnlyInline):
    model = ReportLine
    fields = ["plan_item", "sessions", "attendances", "households", "volunteer_hours", "narrative"]
    readonly_fields = fields


class ReportAttachmentInline(ReadOnlyInline):
    model = ReportAttachment
    fk_name = "report"
    fields = ["original_name", "content_type", "size", "sha256", "uploaded_by", "uploaded_at"]
    readonly_fields = fields


class ReadOnlyAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    pass


@admin.register(ServiceReport)
class ServiceReportAdmin(ReadOnlyAdmin):
    list_display = ["package", "year", "month", "version", "status", "submitted_at", "confirmed_at"]
    list_filter = ["status", "year", "package__town"]
    search_fields = ["package__title", "package__town__name", "package__agency__organisation__name"]
    list_select_related = ["package"]
    inlines = [ReportLineInline, ReportAttachmentInline]
    readonly_fields = [
        "package",
        "year",
        "month",
        "version",
        "supersedes",
        "status",
        "summary",
        "returned_reason",
        "created_by",
        "submitted_at",
        "confirmed_by",
        "confirmed_at",
    ]


class FocusIssueEventInline(ReadOnlyInline):
    model = FocusIssueEvent
    fields = ["from_status", "to_status", "note", "actor", "at"]
    readonly_fields = fields


@admin.register(FocusIssue)
class FocusIssueAdmin(ReadOnlyAdmin):
    list_display = ["title", "community", "kind", "status", "resolved_on", "agency"]
    list_filter = ["status", "kind", "community__town"]
    search_fields = ["title", "community__name", "community__town__name"]
    list_select_related = ["community", "package__agency__organisation"]
    inlines = [FocusIssueEventInline]
    readonly_fields = [
        "community",
        "package",
        "kind",
        "title",
        "description",
        "status",
        "resolution",
        "resolved_on",
        "reported_by",
        "reported_at",
    ]

    @admin.display(description=_("社工机构"))
    def agency(self, obj):
        return obj.package.agency if obj.package_id else "—"

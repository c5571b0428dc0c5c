"""Read-only admin for delivery's record rows (comments, report lines and attachments, focus-issue events)."""

from django.contrib import admin

from directory.admin_site import ReadOnlyAdminMixin

from ..models import FocusIssueEvent, PlanComment, ReportAttachment, ReportLine


@admin.register(PlanComment)
class PlanCommentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["plan", "community", "author", "created_at"]
    search_fields = ["text", "plan__package__title", "author__username"]
    list_select_related = ["plan__package", "community", "author"]


@admin.register(ReportLine)
class ReportLineAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["report", "plan_item", "sessions", "attendances", "households", "volunteer_hours"]
    search_fields = ["report__package__title", "narrative"]
    list_select_related = ["report__package", "plan_item__item"]


@admin.register(ReportAttachment)
class ReportAttachmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["original_name", "report", "content_type", "size", "sha256", "uploaded_at"]
    list_filter = ["content_type"]
    search_fields = ["original_name", "sha256", "report__package__title"]
    list_select_related = ["report__package"]
    # The file itself is served only by the permission-checked download view, never by the admin.
    exclude = ["file"]


@admin.register(FocusIssueEvent)
class FocusIssueEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["issue", "from_status", "to_status", "actor", "at"]
    list_filter = ["to_status"]
    search_fields = ["issue__title", "note"]
    list_select_related = ["issue", "actor"]

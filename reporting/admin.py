from django.contrib import admin

from .models import ReportFile


@admin.register(ReportFile)
class ReportFileAdmin(admin.ModelAdmin):
    """Read-only: reports are asked for on the subject's page and rendered by the task."""

    list_display = ["id", "kind", "subject_key", "status", "requested_by", "requested_at", "rendered_at"]
    list_filter = ["kind", "status"]
    search_fields = ["subject_key", "error", "requested_by__username"]
    list_select_related = ["requested_by"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

"""The bureau's desk for compliance: findings, their history and the checks' last runs, read-only — findings
change only through the sweep and the finding page's rectification and waiver (services), so the history
stays whole."""

from django.contrib import admin

from directory.admin_site import ReadOnlyAdminMixin

from .models import CheckRun, Finding, FindingEvent


class FindingEventInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = FindingEvent
    extra = 0
    fields = ["kind", "actor", "text", "attachment_name", "created_at"]
    readonly_fields = fields
    can_delete = False


@admin.register(Finding)
class FindingAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["rule", "message", "severity", "status", "organisation", "town", "first_seen_at", "closed_at"]
    list_filter = ["rule", "severity", "status"]
    list_select_related = ["organisation", "town"]
    search_fields = ["message", "subject_key", "organisation__name", "town__name", "community__name"]
    date_hierarchy = "first_seen_at"
    inlines = [FindingEventInline]


@admin.register(FindingEvent)
class FindingEventAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["finding", "kind", "actor", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["finding", "actor"]
    search_fields = ["text", "finding__message", "finding__subject_key"]


@admin.register(CheckRun)
class CheckRunAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["rule", "started_at", "finished_at", "found", "opened", "closed", "error"]
    search_fields = ["rule", "error"]

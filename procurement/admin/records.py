"""Read-only admin pages for records that only the services write (see directory.admin_site.ReadOnlyAdminMixin)."""

from django.contrib import admin

from directory.admin_site import ReadOnlyAdminMixin
from procurement.models import StaffAssignment, TenderExpert


@admin.register(TenderExpert)
class TenderExpertAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["tender", "expert", "declared_at", "has_conflict"]
    list_filter = ["has_conflict"]
    search_fields = ["tender__title", "expert__user__full_name", "expert__user__username"]
    list_select_related = ["tender", "expert__user"]


@admin.register(StaffAssignment)
class StaffAssignmentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["package", "staff", "is_full_time", "starts_on", "ends_on"]
    list_filter = ["is_full_time"]
    search_fields = ["package__title", "staff__name"]
    list_select_related = ["package", "staff"]

from django.contrib import admin

from directory.admin_site import ReadOnlyAdminMixin

from .models import DigestSent, Notification, NotificationPreference


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["title", "user", "kind", "created_at", "read_at", "emailed_at"]
    list_filter = ["kind"]
    search_fields = ["title", "subject_key", "user__username"]
    list_select_related = ["user"]


@admin.register(NotificationPreference)
class NotificationPreferenceAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "email_digest", "updated_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]


@admin.register(DigestSent)
class DigestSentAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "day", "notification_count", "sent_at"]
    search_fields = ["user__username"]
    list_select_related = ["user"]
    date_hierarchy = "day"

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig as DjangoAdminConfig
from django.utils.translation import gettext_lazy as _


class SuzhouAdminSite(admin.AdminSite):
    site_header = _("苏州社工服务平台 · 管理后台")
    site_title = _("苏州社工服务平台")
    index_title = _("民政局工作台")

    def has_permission(self, request) -> bool:
        # Only bureau administrators work in the admin, whatever Django's is_staff flag says.
        from .permissions import can_use_admin

        return can_use_admin(request.user)


class AdminConfig(DjangoAdminConfig):
    default_site = "directory.admin_site.SuzhouAdminSite"


class ReadOnlyAdminMixin:
    """For records that only the platform's services write (score lines, events, assignments): the bureau
    can search and read them in the admin, but every change goes through the pages that call the services."""

    # `obj` is accepted for inlines, whose has_add_permission takes the parent object.
    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

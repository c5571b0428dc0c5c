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

"""Admin of service plans, their items and versions, and venues: a read-only desk for the bureau (plans change
only through the plan pages' services, so the P3–P7 checks always run) with one action that goes through the
service: approving pending filed items."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from delivery.models import PlanItem, PlanVersion, ServicePlan, Venue
from directory.admin_site import ReadOnlyAdminMixin

from ..services import plans as services


class PlanItemInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PlanItem
    fields = ["year", "community", "item", "filed_name", "filed_status", "annual_target"]
    readonly_fields = fields
    extra = 0
    show_change_link = True

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("item", "community")


class PlanVersionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = PlanVersion
    fields = ["number", "reason", "approved_by", "approved_at"]
    readonly_fields = fields
    extra = 0


@admin.register(ServicePlan)
class ServicePlanAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["package", "town", "status", "version", "submitted_at", "approved_at", "page"]
    list_filter = ["status"]
    search_fields = ["package__title", "package__town__name", "package__agency__organisation__name"]
    list_select_related = ["package__town"]
    inlines = [PlanItemInline, PlanVersionInline]

    @admin.display(description=_("街道（镇）"), ordering="package__town__name")
    def town(self, obj):
        return obj.package.town.name

    @admin.display(description=_("计划页面"))
    def page(self, obj):
        return format_html('<a href="{}">{}</a>', reverse("delivery:plan-detail", args=[obj.package_id]), _t("打开"))


@admin.register(PlanItem)
class PlanItemAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["__str__", "plan", "community", "year", "annual_target", "is_filed", "filed_status"]
    list_filter = ["is_filed", "filed_status", "year"]
    search_fields = ["filed_name", "item__name_zh", "item__code", "plan__package__title"]
    list_select_related = ["item", "community", "plan__package"]
    actions = ["approve_filed"]

    @admin.action(description=_("同意备案（所选待审批的备案项目）"))
    def approve_filed(self, request, queryset):
        done = 0
        for plan_item in queryset.filter(is_filed=True, filed_status=PlanItem.FiledStatus.PENDING):
            try:
                services.plan_item_filed_decide(actor=request.user, plan_item=plan_item, approve=True)
            except (ValidationError, PermissionDenied) as exc:
                messages.error(request, f"{plan_item}: {' '.join(getattr(exc, 'messages', [str(exc)]))}")
            else:
                done += 1
        messages.success(request, _t("已同意 %(n)d 个备案项目。") % {"n": done})


@admin.register(PlanVersion)
class PlanVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["plan", "number", "reason", "approved_by", "approved_at"]
    list_select_related = ["plan__package", "approved_by"]
    search_fields = ["plan__package__title", "reason"]


@admin.register(Venue)
class VenueAdmin(ReadOnlyAdminMixin, SimpleHistoryAdmin):
    list_display = ["name", "package", "community", "address", "area_m2", "is_free"]
    list_filter = ["is_free"]
    search_fields = ["name", "address", "package__title"]
    list_select_related = ["package", "community"]

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from . import services
from .admin_site import ReadOnlyAdminMixin
from .models import ApiToken, City, Community, District, Membership, Organisation, Town, User


@admin.register(City)
class CityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "name_en"]
    search_fields = ["name", "code", "name_en"]


@admin.register(District)
class DistrictAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "city"]
    list_filter = ["kind", "city"]
    search_fields = ["name", "code", "name_en"]


class CommunityInline(admin.TabularInline):
    model = Community
    extra = 0
    fields = ["code", "name", "name_en", "kind"]


@admin.register(Town)
class TownAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "district"]
    list_filter = ["kind", "district"]
    search_fields = ["name", "code", "name_en"]
    list_select_related = ["district"]
    inlines = [CommunityInline]


@admin.register(Community)
class CommunityAdmin(SimpleHistoryAdmin):
    list_display = ["name", "code", "kind", "town"]
    list_filter = ["kind", "town__district", "town"]
    search_fields = ["name", "code", "name_en", "town__name"]
    list_select_related = ["town"]
    autocomplete_fields = ["town"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user", "organisation"]
    fields = ["user", "organisation", "role", "is_active"]


class MembersFilter(admin.SimpleListFilter):
    """Organisations with or without an active member (the bureau's home page links here with the count)."""

    title = _("成员")
    parameter_name = "members"

    def lookups(self, request, model_admin):
        return [("none", _("尚无成员")), ("some", _("有成员"))]

    def queryset(self, request, queryset):
        with_members = Membership.objects.filter(is_active=True).values("organisation_id")
        if self.value() == "none":
            return queryset.exclude(pk__in=with_members)
        if self.value() == "some":
            return queryset.filter(pk__in=with_members)
        return queryset


@admin.register(Organisation)
class OrganisationAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "uscc", "district", "town", "community", "is_active"]
    list_filter = ["kind", "is_active", MembersFilter, "district"]
    search_fields = ["name", "name_en", "uscc"]
    list_select_related = ["district", "town", "community"]
    autocomplete_fields = ["district", "town", "community"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = ["user", "organisation", "role", "is_active", "created_at"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["user__username", "user__full_name", "organisation__name"]
    list_select_related = ["user", "organisation"]
    autocomplete_fields = ["user", "organisation"]

    def save_model(self, request, obj, form, change):
        if change:
            super().save_model(request, obj, form, change)
            return
        created = services.membership_create(
            actor=request.user, user=obj.user, organisation=obj.organisation, role=obj.role
        )
        obj.pk = created.pk


@admin.register(User)
class UserAdmin(SimpleHistoryAdmin, DjangoUserAdmin):
    list_display = ["username", "full_name", "resident_id_display", "email", "is_active", "is_staff"]
    list_filter = ["is_active", "is_staff", "memberships__role"]
    search_fields = ["username", "full_name", "email", "phone"]
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("个人信息"), {"fields": ("full_name", "email", "phone", "resident_id")}),
        (_("权限"), {"fields": ("is_active", "is_staff", "is_superuser")}),
        (_("重要日期"), {"fields": ("last_login", "date_joined")}),
    )
    inlines = [MembershipInline]
    actions = ["send_password_reset"]

    @admin.action(description=_("发送重设密码邮件"))
    def send_password_reset(self, request, queryset):
        sent = 0
        for user in queryset:
            try:
                services.user_password_reset_send(actor=request.user, user=user, request=request)
            except ValidationError as exc:
                for message in exc.messages:
                    self.message_user(request, message, messages.WARNING)
            else:
                sent += 1
        if sent:
            self.message_user(request, _t("已向 %(n)d 位用户发送重设密码邮件。") % {"n": sent}, messages.SUCCESS)

    @admin.display(description=_("居民身份证号码"))
    def resident_id_display(self, obj: User) -> str:
        # D4: never in list output, masked even for the bureau.
        return obj.resident_id_masked


@admin.register(ApiToken)
class ApiTokenAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Every user's API tokens (never their keys: only a digest is stored); the bureau revokes any."""

    list_display = ["name", "user", "scope", "prefix", "created_at", "last_used_at", "revoked_at"]
    list_filter = ["scope", ("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "prefix", "user__username", "user__full_name"]
    list_select_related = ["user"]
    exclude = ["key_hash"]
    actions = ["revoke"]

    @admin.action(description=_("撤销所选令牌"))
    def revoke(self, request, queryset):
        for token in queryset.filter(revoked_at__isnull=True):
            services.api_token_revoke(actor=request.user, token=token)
        self.message_user(request, _t("所选令牌已撤销。"), messages.SUCCESS)

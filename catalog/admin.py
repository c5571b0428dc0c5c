from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.tabular import read_table

from . import services
from .forms import EditionImportForm
from .models import CatalogueEdition, ServiceCategory, ServiceItem, ServiceTask


def _download(content: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@admin.register(CatalogueEdition)
class CatalogueEditionAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "code", "year", "is_current", "in_use_since", "category_count", "item_count"]
    list_filter = ["is_current", "year"]
    search_fields = ["code", "name_zh", "name_en"]
    readonly_fields = ["in_use_since", "derived_from", "created_at"]
    actions = ["export_xlsx", "export_csv", "make_current", "revise"]
    change_list_template = "admin/catalog/catalogueedition/change_list.html"

    def get_urls(self):
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="catalog_catalogueedition_import",
            ),
            *super().get_urls(),
        ]

    @admin.display(description=_("类别数"))
    def category_count(self, obj):
        return obj.categories.count()

    @admin.display(description=_("子项数"))
    def item_count(self, obj):
        return obj.items.count()

    def has_change_permission(self, request, obj=None):
        # C4: an edition in use is never changed in place; revise it instead.
        if obj is not None and obj.is_in_use:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_in_use:
            return False
        return super().has_delete_permission(request, obj)

    def import_view(self, request):
        form = EditionImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                rows = read_table(upload.read(), upload.name)
                edition = services.edition_import(
                    actor=request.user,
                    code=form.cleaned_data["code"],
                    name_zh=form.cleaned_data["name_zh"],
                    name_en=form.cleaned_data["name_en"],
                    year=form.cleaned_data["year"],
                    description=form.cleaned_data["description"],
                    is_current=form.cleaned_data["is_current"],
                    replace=form.cleaned_data["replace"],
                    rows=rows,
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error(None, message)
            else:
                self.message_user(
                    request,
                    _t("已导入目录版本“%(e)s”：%(n)d 个子项。") % {"e": edition, "n": edition.items.count()},
                    messages.SUCCESS,
                )
                return redirect(reverse("admin:catalog_catalogueedition_changelist"))
        context = {
            **self.admin_site.each_context(request),
            "form": form,
            "title": _t("导入服务目录"),
            "opts": self.model._meta,
        }
        return render(request, "admin/catalog/catalogueedition/import.html", context)

    @admin.action(description=_("导出为 xlsx"))
    def export_xlsx(self, request, queryset):
        edition = queryset.first()
        return _download(services.export_xlsx(edition), f"catalogue-{edition.code}.xlsx", XLSX)

    @admin.action(description=_("导出为 CSV"))
    def export_csv(self, request, queryset):
        edition = queryset.first()
        return _download(services.export_csv(edition), f"catalogue-{edition.code}.csv", "text/csv; charset=utf-8")

    @admin.action(description=_("设为当前版本"))
    def make_current(self, request, queryset):
        edition = queryset.first()
        services.edition_make_current(actor=request.user, edition=edition)
        self.message_user(request, _t("“%(e)s”已设为当前版本。") % {"e": edition}, messages.SUCCESS)

    @admin.action(description=_("复制为新的修订版本"))
    def revise(self, request, queryset):
        for edition in queryset:
            revision = services.edition_revise(
                actor=request.user, edition=edition, new_code=services._next_revision_code(edition)
            )
            self.message_user(request, _t("已创建修订版本“%(e)s”。") % {"e": revision}, messages.SUCCESS)


class FrozenEditionMixin:
    """C4 in the admin: nothing of an edition in use is deleted (one by one or in bulk: the admin asks this per
    object), and new categories, items and tasks can only be added to editions not yet in use."""

    edition_path: tuple[str, ...] = ("edition",)  # how to reach the edition from an object

    def _edition_of(self, obj):
        for name in self.edition_path:
            obj = getattr(obj, name)
        return obj

    def has_delete_permission(self, request, obj=None):
        if obj is not None and self._edition_of(obj).is_in_use:
            return False
        return super().has_delete_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        open_editions = {
            "edition": ("in_use_since__isnull", True),
            "category": ("edition__in_use_since__isnull", True),
            "item": ("edition__in_use_since__isnull", True),
        }
        if db_field.name in open_editions:
            lookup, value = open_editions[db_field.name]
            kwargs["queryset"] = db_field.remote_field.model.objects.filter(**{lookup: value})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ServiceTaskInline(admin.TabularInline):
    model = ServiceTask
    extra = 0
    fields = ["code", "name_zh", "name_en", "order"]


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(FrozenEditionMixin, SimpleHistoryAdmin):
    list_display = ["name_zh", "code", "kind", "edition", "order"]
    list_filter = ["edition", "kind"]
    search_fields = ["name_zh", "name_en", "code"]
    list_select_related = ["edition"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.edition.is_in_use:
            return False
        return super().has_change_permission(request, obj)


@admin.register(ServiceItem)
class ServiceItemAdmin(FrozenEditionMixin, SimpleHistoryAdmin):
    list_display = ["code", "name_zh", "category", "level", "unit", "suggested_annual_target", "edition"]
    list_filter = ["edition", "category__kind", "level", "unit"]
    search_fields = ["code", "name_zh", "name_en", "description"]
    list_select_related = ["category", "edition"]
    inlines = [ServiceTaskInline]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None:
            return ["edition", "category", "code"]
        return []

    def get_inlines(self, request, obj):
        if obj is not None and obj.edition.is_in_use:
            return []
        return super().get_inlines(request, obj)

    def save_model(self, request, obj, form, change):
        if not change:
            super().save_model(request, obj, form, change)
            return
        original = ServiceItem.objects.get(pk=obj.pk)
        changes = {f: getattr(obj, f) for f in form.changed_data if f in services.ITEM_EDITABLE_FIELDS}
        saved = services.service_item_update(actor=request.user, item=original, **changes)
        if saved.edition_id != original.edition_id:
            # C4: the edition in use stays as it was; the edit went into a new revision.
            self.message_user(
                request,
                _t("“%(e)s”已被采购项目使用，修改已保存到新的修订版本“%(r)s”。")
                % {"e": original.edition, "r": saved.edition},
                messages.WARNING,
            )
        obj.refresh_from_db()


@admin.register(ServiceTask)
class ServiceTaskAdmin(FrozenEditionMixin, SimpleHistoryAdmin):
    edition_path = ("item", "edition")
    list_display = ["code", "name_zh", "name_en", "item"]
    list_filter = ["item__edition", "item__category__kind"]
    search_fields = ["code", "name_zh", "name_en", "item__name_zh"]
    list_select_related = ["item"]

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.item.edition.is_in_use:
            return False
        return super().has_change_permission(request, obj)

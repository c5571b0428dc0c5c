from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.admin import FrozenOnceInUseInlineMixin, FrozenOnceInUseMixin
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
class CatalogueEditionAdmin(FrozenOnceInUseMixin, SimpleHistoryAdmin):
    """C4: an edition in use is never changed in place or deleted; the "revise" action copies it."""

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
            revision = services.edition_revise(actor=request.user, edition=edition)
            self.message_user(request, _t("已创建修订版本“%(e)s”。") % {"e": revision}, messages.SUCCESS)


class ServiceTaskInline(FrozenOnceInUseInlineMixin, admin.TabularInline):
    frozen_path = ("edition",)
    model = ServiceTask
    extra = 0
    fields = ["code", "name_zh", "name_en", "order"]


@admin.register(ServiceCategory)
class ServiceCategoryAdmin(FrozenOnceInUseMixin, SimpleHistoryAdmin):
    frozen_path = ("edition",)
    list_display = ["name_zh", "code", "kind", "edition", "order"]
    list_filter = ["edition", "kind"]
    search_fields = ["name_zh", "name_en", "code"]
    list_select_related = ["edition"]


@admin.register(ServiceItem)
class ServiceItemAdmin(FrozenOnceInUseMixin, SimpleHistoryAdmin):
    frozen_path = ("edition",)
    frozen_changes_make_a_revision = True  # save_model goes through service_item_update (C4)
    open_choices = {"edition": "", "category": "edition"}
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
class ServiceTaskAdmin(FrozenOnceInUseMixin, SimpleHistoryAdmin):
    frozen_path = ("item", "edition")
    list_display = ["code", "name_zh", "name_en", "item"]
    list_filter = ["item__edition", "item__category__kind"]
    search_fields = ["code", "name_zh", "name_en", "item__name_zh"]
    list_select_related = ["item"]

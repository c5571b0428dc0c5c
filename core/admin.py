"""Admin pieces every app's admin shares."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _
from django_celery_beat.admin import PeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from core.versioning import is_frozen


def _follow(obj, path: tuple[str, ...]):
    for name in path:
        obj = getattr(obj, name)
    return obj


class FrozenOnceInUseMixin:
    """The admin side of core.versioning (C4, A1, A3) for a versioned model (`frozen_path = ()`) or one of its
    parts (`frozen_path` leads from the part to the versioned object, e.g. `("item", "edition")`): nothing of a
    frozen object is changed or deleted (one by one or in bulk: the admin asks this per object), and parts are
    added only to objects not yet in use (their foreign keys offer only those)."""

    frozen_path: tuple[str, ...] = ()
    # True for a part whose change page saves through a service that writes a new revision (a catalogue item).
    frozen_changes_make_a_revision = False
    # Foreign keys whose choices leave out frozen objects: field name -> path from the related model to the
    # versioned object ("" for itself). Defaults to the first step of frozen_path.
    open_choices: dict[str, str] | None = None

    def frozen_object(self, obj):
        return _follow(obj, self.frozen_path)

    def has_change_permission(self, request, obj=None):
        if obj is not None and not self.frozen_changes_make_a_revision and is_frozen(self.frozen_object(obj)):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and is_frozen(self.frozen_object(obj)):
            return False
        return super().has_delete_permission(request, obj)

    def get_open_choices(self) -> dict[str, str]:
        if self.open_choices is not None:
            return self.open_choices
        if not self.frozen_path:
            return {}
        return {self.frozen_path[0]: "__".join(self.frozen_path[1:])}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        open_choices = self.get_open_choices()
        if db_field.name in open_choices:
            path = open_choices[db_field.name]
            lookup = f"{path}__in_use_since__isnull" if path else "in_use_since__isnull"
            kwargs["queryset"] = db_field.remote_field.model._default_manager.filter(**{lookup: True})
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class FrozenOnceInUseInlineMixin:
    """An inline of a frozen object adds, changes and deletes nothing. `obj` is the page's object;
    `frozen_path` leads from it to the versioned object (`()` when the page is the versioned object's own)."""

    frozen_path: tuple[str, ...] = ()

    def _open(self, obj) -> bool:
        return obj is None or not is_frozen(_follow(obj, self.frozen_path))

    def has_add_permission(self, request, obj=None):
        return self._open(obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._open(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._open(obj) and super().has_delete_permission(request, obj)


class _TaskFilter(admin.AllValuesFieldListFilter):
    """django-celery-beat names its task field "Task Name" untranslated; the filter read 以 Task Name."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.title = _("任务")


class PeriodicTaskAdminInChinese(PeriodicTaskAdmin):
    list_filter = [("task", _TaskFilter) if f == "task" else f for f in PeriodicTaskAdmin.list_filter]


# django_celery_beat comes before core in INSTALLED_APPS, so its admin is registered by now.
if admin.site.is_registered(PeriodicTask):
    admin.site.unregister(PeriodicTask)
admin.site.register(PeriodicTask, PeriodicTaskAdminInChinese)

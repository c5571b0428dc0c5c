"""Reads of the service catalogue. Anyone logged in may read every edition (it is the city's public menu)."""

import django_filters
from django.db.models import Prefetch, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from .models import CatalogueEdition, ServiceCategory, ServiceItem, ServiceTask


def edition_list(*, user) -> QuerySet[CatalogueEdition]:
    """All editions, current first."""
    return CatalogueEdition.objects.order_by("-is_current", "-year", "code")


class EditionFilter(django_filters.FilterSet):
    """The edition list's filters: year, the current edition, editions in use (frozen, C4)."""

    year = django_filters.NumberFilter(min_value=2000, max_value=2100, label=_("年份"), help_text=_("如 2018"))
    is_current = django_filters.BooleanFilter(label=_("当前版本"), help_text=_("true：只列出当前版本"))
    in_use = django_filters.BooleanFilter(
        field_name="in_use_since",
        lookup_expr="isnull",
        exclude=True,
        label=_("已启用"),
        help_text=_("true：只列出已被招标或项目包使用（已冻结）的版本"),
    )

    class Meta:
        model = CatalogueEdition
        fields = ["year", "is_current", "in_use"]


def edition_current() -> CatalogueEdition | None:
    return CatalogueEdition.objects.filter(is_current=True).first()


class ServiceItemFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=_("关键词"))
    edition = django_filters.ModelChoiceFilter(
        queryset=CatalogueEdition.objects.all(), to_field_name="code", label=_("目录版本"), empty_label=None
    )
    category = django_filters.ChoiceFilter(
        field_name="category__kind", choices=ServiceCategory.Kind.choices, label=_("服务类别")
    )
    level = django_filters.ChoiceFilter(method="filter_level", choices=ServiceItem.Level.choices, label=_("实施层面"))

    class Meta:
        model = ServiceItem
        fields = ["q", "edition", "category", "level"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(name_zh__icontains=value)
            | Q(name_en__icontains=value)
            | Q(code__icontains=value)
            | Q(description__icontains=value)
            | Q(tasks__name_zh__icontains=value)
        ).distinct()

    def filter_level(self, queryset, name, value):
        # An item delivered at "both" levels is offered at town and at community level.
        if value in (ServiceItem.Level.TOWN, ServiceItem.Level.COMMUNITY):
            return queryset.filter(level__in=[value, ServiceItem.Level.BOTH])
        return queryset.filter(level=value)


def service_item_all(*, user) -> QuerySet[ServiceItem]:
    """Every sub-item of every edition, ready for display. The small items are prefetched in their own order
    (ServiceTask's default ordering starts with `item`, which expands to the item's ordering and adds three
    joins to the prefetch; issue 14)."""
    return (
        ServiceItem.objects.select_related("category", "edition")
        .prefetch_related(Prefetch("tasks", queryset=ServiceTask.objects.order_by("item_id", "order", "code")))
        .order_by("category__order", "order", "code", "pk")  # pk: the same code in two editions pages stably
    )


def small_item_names(item_ids) -> dict[int, list[str]]:
    """The small items' names of each of these sub-items, in their order, read as (item, name) pairs in one
    query: a list page of 50 sub-items otherwise builds ~200 ServiceTask objects only to read their names
    (issue 14)."""
    names: dict[int, list[str]] = {pk: [] for pk in item_ids}
    if not names:
        return names
    pairs = (
        ServiceTask.objects.filter(item_id__in=list(names))
        .order_by("item_id", "order", "code")
        .values_list("item_id", "name_zh")
    )
    for item_id, name in pairs:
        names[item_id].append(name)
    return names


def service_item_list(*, user, filters: dict | None = None) -> tuple[QuerySet[ServiceItem], ServiceItemFilter]:
    """Sub-items with their category and small items, filtered; defaults to the current edition."""
    data = dict(filters.items()) if filters is not None else {}
    if not data.get("edition"):
        current = edition_current()
        if current is not None:
            data["edition"] = current.code
    filterset = ServiceItemFilter(data, queryset=service_item_all(user=user))
    return filterset.qs, filterset

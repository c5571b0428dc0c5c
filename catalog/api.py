from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from core.api import RowListMixin

from .selectors import EditionFilter, ServiceItemFilter, edition_list, service_item_all, small_item_names


class EditionListApi(ListAPIView):
    class OutputSerializer(serializers.Serializer):
        code = serializers.CharField()
        name_zh = serializers.CharField()
        name_en = serializers.CharField()
        year = serializers.IntegerField()
        is_current = serializers.BooleanField()
        is_in_use = serializers.BooleanField()

    serializer_class = OutputSerializer
    filterset_class = EditionFilter

    def get_queryset(self):
        return edition_list(user=self.request.user)


class ItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    edition = serializers.CharField(source="edition.code")
    category_code = serializers.CharField(source="category.code")
    category_kind = serializers.CharField(source="category.kind")
    code = serializers.CharField()
    name_zh = serializers.CharField()
    name_en = serializers.CharField()
    description = serializers.CharField()
    level = serializers.CharField()
    unit = serializers.CharField()
    suggested_annual_target = serializers.IntegerField()
    small_items = serializers.SerializerMethodField()

    def get_small_items(self, obj) -> list[str]:
        names = getattr(obj, "small_item_names", None)  # the list's page: read in one query
        return names if names is not None else [t.name_zh for t in obj.tasks.all()]


class ServiceItemListApi(RowListMixin, ListAPIView):
    serializer_class = ItemOutputSerializer  # the schema; the rows are written by `rows` (issue 14)
    filterset_class = ServiceItemFilter
    row_columns = (
        "id",
        "edition__code",
        "category__code",
        "category__kind",
        "code",
        "name_zh",
        "name_en",
        "description",
        "level",
        "unit",
        "suggested_annual_target",
    )

    def get_queryset(self):
        return service_item_all(user=self.request.user).prefetch_related(None)

    def rows(self, page):
        names = small_item_names([values[0] for values in page])  # the page's small items in one query
        keys = [key for key in ItemOutputSerializer._declared_fields if key != "small_items"]
        return [{**dict(zip(keys, values, strict=True)), "small_items": names[values[0]]} for values in page]


class ServiceItemDetailApi(RetrieveAPIView):
    serializer_class = ItemOutputSerializer

    def get_queryset(self):
        return service_item_all(user=self.request.user)

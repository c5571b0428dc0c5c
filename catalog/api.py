from rest_framework import serializers
from rest_framework.generics import ListAPIView, RetrieveAPIView

from .selectors import EditionFilter, ServiceItemFilter, attach_small_item_names, edition_list, service_item_all


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


class ServiceItemListApi(ListAPIView):
    serializer_class = ItemOutputSerializer
    filterset_class = ServiceItemFilter

    def get_queryset(self):
        return service_item_all(user=self.request.user).prefetch_related(None)

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        attach_small_item_names(page if page is not None else queryset)
        return page


class ServiceItemDetailApi(RetrieveAPIView):
    serializer_class = ItemOutputSerializer

    def get_queryset(self):
        return service_item_all(user=self.request.user)

from django.urls import reverse
from django.utils.translation import gettext as _

from core.attention import AttentionItem, AttentionSection, register
from directory.permissions import is_bureau_admin

from .models import CatalogueEdition


@register
def catalogue_sections(user) -> list[AttentionSection]:
    if not is_bureau_admin(user):
        return []
    drafts = CatalogueEdition.objects.filter(is_current=False, in_use_since__isnull=True).order_by("-created_at")
    return [
        AttentionSection(
            title=_("未启用的服务目录版本"),
            items=[
                AttentionItem(
                    title=str(e),
                    detail=_("尚未设为当前版本，也未被采购项目使用"),
                    url=reverse("admin:catalog_catalogueedition_change", args=[e.pk]),
                )
                for e in drafts
            ],
            empty_text=_("没有待处理的目录版本。"),
            order=30,
        )
    ]

from django.db import models
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from core.versioning import Versioned


class BilingualName(models.Model):
    name_zh = models.CharField(_("中文名称"), max_length=100)
    name_en = models.CharField(_("英文名称"), max_length=200)

    class Meta:
        abstract = True

    @property
    def name(self) -> str:
        lang = get_language() or "zh-hans"
        return self.name_en if lang.startswith("en") and self.name_en else self.name_zh


class CatalogueEdition(BilingualName, Versioned):
    """One version of the city's menu-style service catalogue (C1). Never changed in place once in use (C4)."""

    code = models.SlugField(_("版本代码"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField(_("发布年份"))
    description = models.TextField(_("说明"), blank=True)
    is_current = models.BooleanField(_("当前版本"), default=False)
    # derived_from, in_use_since (set the first time a tender or package uses the edition) and created_at come
    # from core.versioning.Versioned. Revisions get a new code (C4), not a version number.
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务目录版本")
        verbose_name_plural = _("服务目录版本")
        ordering = ["-year", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_current"],
                condition=models.Q(is_current=True),
                name="catalogue_one_current_edition",
            )
        ]

    def __str__(self) -> str:
        # People read the edition's name; its code is for URLs, imports and the admin's code column.
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:item-list") + f"?edition={self.code}"


class ServiceCategory(BilingualName):
    class Kind(models.TextChoices):
        BASIC = "basic", _("基础服务类")
        NEEDS_RESEARCH = "needs_research", _("需求调研类")
        EMPOWERMENT = "empowerment", _("自治增能类")
        GOVERNANCE = "governance", _("焦点治理类")

    edition = models.ForeignKey(
        CatalogueEdition, on_delete=models.CASCADE, related_name="categories", verbose_name=_("目录版本")
    )
    code = models.CharField(_("类别代码"), max_length=20)
    kind = models.CharField(_("类别性质"), max_length=20, choices=Kind.choices)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务类别")
        verbose_name_plural = _("服务类别")
        ordering = ["edition", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="category_unique_code_in_edition"),
        ]

    def __str__(self) -> str:
        return self.name_zh


class ServiceItem(BilingualName):
    """A sub-item (子项) of the catalogue with every field of C2."""

    class Level(models.TextChoices):
        TOWN = "town", _("街镇层面")
        COMMUNITY = "community", _("社区（村）层面")
        BOTH = "both", _("街镇和社区均可")

    class Unit(models.TextChoices):
        SESSION = "session", _("次")
        ATTENDANCE = "attendance", _("人次")
        HOUSEHOLD = "household", _("户")
        CASE = "case", _("个")

    edition = models.ForeignKey(
        CatalogueEdition, on_delete=models.CASCADE, related_name="items", verbose_name=_("目录版本")
    )
    category = models.ForeignKey(
        ServiceCategory, on_delete=models.CASCADE, related_name="items", verbose_name=_("服务类别")
    )
    code = models.CharField(_("子项代码"), max_length=20)
    description = models.TextField(_("服务内容说明"))
    level = models.CharField(_("实施层面"), max_length=10, choices=Level.choices)
    unit = models.CharField(_("产出单位"), max_length=12, choices=Unit.choices)
    suggested_annual_target = models.PositiveIntegerField(_("建议年度目标"))
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务子项")
        verbose_name_plural = _("服务子项")
        ordering = ["edition", "category__order", "order", "code"]
        constraints = [
            models.UniqueConstraint(fields=["edition", "code"], name="item_unique_code_in_edition"),
            models.CheckConstraint(condition=models.Q(suggested_annual_target__gt=0), name="item_target_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

    def get_absolute_url(self) -> str:
        return reverse("catalog:item-detail", args=[self.pk])


class ServiceTask(BilingualName):
    """A small item (小项) under a sub-item."""

    item = models.ForeignKey(ServiceItem, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("服务子项"))
    code = models.CharField(_("小项代码"), max_length=30)
    order = models.PositiveSmallIntegerField(_("排序"), default=0)
    history = HistoricalRecords()

    class Meta:
        verbose_name = _("服务小项")
        verbose_name_plural = _("服务小项")
        ordering = ["item", "order", "code"]
        constraints = [models.UniqueConstraint(fields=["item", "code"], name="task_unique_code_in_item")]

    def __str__(self) -> str:
        return f"{self.code} {self.name_zh}"

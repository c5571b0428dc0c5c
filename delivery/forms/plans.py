"""Forms of the plan and venue pages: they parse input; services/plans.py validates and writes."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from catalog.models import ServiceCategory, ServiceItem


class CatalogueItemChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: ServiceItem) -> str:
        return f"{obj.code} {obj.name} · {obj.get_unit_display()} · {obj.get_level_display()}"


class CommunityChoiceField(forms.ModelChoiceField):
    """The place of an item or venue: one of the town's communities, or empty for the town level."""

    def __init__(self, communities, **kwargs):
        kwargs.setdefault("label", _("地点"))
        kwargs.setdefault("empty_label", _("街镇层面"))
        super().__init__(queryset=communities, required=False, **kwargs)


def _year_choices(years: int) -> list[tuple[int, str]]:
    return [(n, _("第 %(n)d 年") % {"n": n}) for n in range(1, years + 1)]


class _Placed(forms.Form):
    def __init__(self, *args, communities, years: int, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"] = CommunityChoiceField(communities)
        self.fields["year"] = forms.TypedChoiceField(label=_("服务年度"), choices=_year_choices(years), coerce=int)
        self.fields["annual_target"] = forms.IntegerField(label=_("年度目标"), min_value=1, max_value=1_000_000)
        self.fields["note"] = forms.CharField(label=_("说明"), required=False, max_length=500)
        self.order_fields(["item", "name", "community", "year", "annual_target"])


class PlanItemAddForm(_Placed):
    """A catalogue sub-item of the package's edition × place × year × annual target (P3)."""

    def __init__(self, *args, edition, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["item"] = CatalogueItemChoiceField(
            label=_("目录子项"),
            queryset=ServiceItem.objects.filter(edition=edition).select_related("category"),
            empty_label=_("请选择子项"),
        )
        self.order_fields(["item", "community", "year", "annual_target", "note"])


class PlanItemEditForm(_Placed):
    """Place, year, target and note of an existing item; a filed item also its justification."""

    def __init__(self, *args, filed: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if filed:
            self.fields["justification"] = forms.CharField(
                label=_("备案理由"), widget=forms.Textarea(attrs={"rows": 2})
            )


class PlanItemFileForm(_Placed):
    """An off-catalogue item filed (备案) with a justification; it counts once the bureau approves it (P3)."""

    name = forms.CharField(label=_("备案项目名称"), max_length=100)
    category_kind = forms.ChoiceField(label=_("服务类别"), choices=ServiceCategory.Kind.choices)
    unit = forms.ChoiceField(label=_("产出单位"), choices=ServiceItem.Unit.choices)
    justification = forms.CharField(
        label=_("备案理由"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("说明服务目录中为什么没有合适的子项。"),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.order_fields(["name", "category_kind", "unit", "community", "year", "annual_target", "justification"])


class FiledDecisionForm(forms.Form):
    decision = forms.ChoiceField(choices=[("approve", _("同意备案")), ("reject", _("不予备案"))])
    reason = forms.CharField(label=_("审批意见"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(label=_("意见"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}))


class TownReviewForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("审核结果"), choices=[("forward", _("审核通过，报民政局审批")), ("return", _("退回机构修改"))]
    )
    reason = forms.CharField(
        label=_("审核意见"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("退回时必填。"),
    )


class ReasonForm(forms.Form):
    """A required reason: the bureau's return, the agency's amendment."""

    reason = forms.CharField(label=_("原因"), max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class VenueForm(forms.Form):
    """A venue the town or a community provides free (P8)."""

    name = forms.CharField(label=_("场地名称"), max_length=100)
    address = forms.CharField(label=_("地址"), max_length=200)
    area_m2 = forms.DecimalField(label=_("面积（平方米）"), min_value=Decimal("0.1"), max_digits=8, decimal_places=1)
    equipment = forms.CharField(
        label=_("设施设备"), widget=forms.Textarea(attrs={"rows": 2}), help_text=_("没有可填“无”。")
    )
    is_free = forms.BooleanField(label=_("无偿提供"), required=False, initial=True)

    def __init__(self, *args, communities, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"] = CommunityChoiceField(communities, label=_("提供方"), empty_label=_("街镇"))
        self.order_fields(["community", "name", "address", "area_m2", "equipment", "is_free"])

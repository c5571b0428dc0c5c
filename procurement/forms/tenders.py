"""Forms of the tender pages: they parse input; the rules live in services/tenders.py and services/packages.py."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.template.defaultfilters import floatformat
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput, IdsChoiceField
from directory.models import Town
from procurement.models import Agency, Bid, Round, StaffMember

from ..services.packages import DEFAULT_STAFF_COST_SHARE

DATETIME = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")


class StaffChoiceField(IdsChoiceField):
    def label_from_instance(self, obj: StaffMember) -> str:
        kind = _("专职") if obj.is_full_time else _("兼职")
        return f"{obj.name}（{kind}）"


class TenderForm(forms.Form):
    round = forms.ModelChoiceField(queryset=Round.objects.select_related("edition"), label=_("采购轮次"))
    town = forms.ModelChoiceField(
        queryset=Town.objects.select_related("district").order_by("district__code", "code"), label=_("街道（镇）")
    )
    title = forms.CharField(label=_("项目名称"), max_length=200)
    description = forms.CharField(label=_("项目说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))
    annual_ceiling = forms.DecimalField(
        label=_("年度最高限价（元）"),
        max_digits=14,
        decimal_places=2,
        required=False,
        help_text=_("留空则按轮次默认（100万元，含人员经费）。"),
    )
    period_years = forms.IntegerField(
        label=_("服务期（年）"), min_value=1, required=False, help_text=_("留空则按轮次默认；最长3年。")
    )
    service_starts_on = forms.DateField(label=_("服务开始日期"), widget=DateInput)
    bid_deadline = forms.DateTimeField(label=_("投标截止时间"), widget=DATETIME)
    expert_count = forms.IntegerField(label=_("评审专家人数"), min_value=1, max_value=15, initial=3)
    weight_price = forms.IntegerField(label=_("价格权重"), min_value=0, max_value=100, required=False)
    weight_proposal = forms.IntegerField(label=_("服务方案权重"), min_value=0, max_value=100, required=False)
    weight_team = forms.IntegerField(label=_("团队权重"), min_value=0, max_value=100, required=False)
    weight_past = forms.IntegerField(label=_("既往绩效权重"), min_value=0, max_value=100, required=False)


class BidForm(forms.Form):
    price = forms.DecimalField(label=_("年度报价（元）"), max_digits=14, decimal_places=2, min_value=Decimal("0.01"))
    proposal = forms.CharField(label=_("服务方案"), widget=forms.Textarea(attrs={"rows": 8}))
    proposal_file = forms.FileField(
        label=_("服务方案附件（PDF，不超过10 MB）"),
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf"}),
    )
    team_ids = StaffChoiceField(
        queryset=StaffMember.objects.none(), label=_("拟派团队"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["team_ids"].queryset = staff


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("利益冲突声明"),
        choices=[
            ("no", _("本人与各投标机构均无利益关系，承诺独立、公正评审")),
            ("yes", _("本人与投标机构存在利益冲突，申请回避")),
        ],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label=_("冲突说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


def _score_field(label):
    return forms.DecimalField(
        label=label,
        max_digits=6,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "100"}),
    )


class ScoreForm(forms.Form):
    price_score = _score_field(_("价格得分"))
    proposal_score = _score_field(_("服务方案得分"))
    team_score = _score_field(_("团队得分"))
    past_score = _score_field(_("既往绩效得分"))
    comment = forms.CharField(label=_("评审意见"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("原因"), widget=forms.Textarea(attrs={"rows": 2}))


class AwardForm(forms.Form):
    bid = forms.ModelChoiceField(
        queryset=Bid.objects.none(),
        label=_("中标投标"),
        required=False,
        empty_label=_("排名第一的投标（默认）"),
    )
    reason = forms.CharField(
        label=_("定标说明"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("选择排名第一以外的投标时必须填写。"),
    )
    staff_cost_share = forms.DecimalField(
        label=_("人员经费占比（%）"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        initial=DEFAULT_STAFF_COST_SHARE,
    )

    def __init__(self, *args, bids=None, **kwargs):
        super().__init__(*args, **kwargs)
        if bids is not None:
            self.fields["bid"].queryset = bids
            # Money reads as on every other page: 950,000.00 元.
            self.fields["bid"].label_from_instance = lambda b: f"{b.agency} · {floatformat(b.price, '2g')} 元"


class ContractForm(forms.Form):
    signed_on = forms.DateField(label=_("合同签订日期"), widget=DateInput)


class PackageForm(forms.Form):
    town = forms.ModelChoiceField(
        queryset=Town.objects.select_related("district").order_by("district__code", "code"), label=_("街道（镇）")
    )
    agency = forms.ModelChoiceField(queryset=Agency.objects.select_related("organisation"), label=_("社工机构"))
    round = forms.ModelChoiceField(queryset=Round.objects.select_related("edition"), label=_("采购轮次"))
    title = forms.CharField(label=_("项目名称"), max_length=200)
    starts_on = forms.DateField(label=_("开始日期"), widget=DateInput)
    ends_on = forms.DateField(label=_("结束日期"), widget=DateInput)
    annual_amount = forms.DecimalField(label=_("年度金额（元）"), max_digits=14, decimal_places=2)
    annual_ceiling = forms.DecimalField(
        label=_("年度最高限价（元）"), max_digits=14, decimal_places=2, initial=Decimal("1000000")
    )
    staff_cost_share = forms.DecimalField(
        label=_("人员经费占比（%）"),
        max_digits=5,
        decimal_places=2,
        min_value=Decimal("0"),
        max_value=Decimal("100"),
        initial=DEFAULT_STAFF_COST_SHARE,
    )
    staff_ids = StaffChoiceField(
        queryset=StaffMember.objects.none(), label=_("项目人员"), widget=forms.CheckboxSelectMultiple
    )

    def __init__(self, *args, staff=None, **kwargs):
        super().__init__(*args, **kwargs)
        if staff is not None:
            self.fields["staff_ids"].queryset = staff

"""Forms of the money pages: they parse and validate input (amounts: Decimal, 2 places, never negative);
the rules themselves are checked by the services, whose errors land on the form (core.forms.add_service_errors)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput

from .models import MicroGrant

BUDGET_LINES = 5


def money_field(label, *, required=True, allow_zero=False, **kwargs) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=14,
        decimal_places=2,
        min_value=Decimal("0") if allow_zero else Decimal("0.01"),
        **kwargs,
    )


def date_field(label, **kwargs) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


class BudgetForm(forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount = money_field(_("年度预算（元）"), allow_zero=True)


class SplitForm(forms.Form):
    """One amount per source the user may commit (blank or 0: none)."""

    def __init__(self, *args, sources=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.sources = list(sources)
        for source in self.sources:
            self.fields[f"source_{source.pk}"] = money_field(source.name, required=False, allow_zero=True)

    def parts(self) -> dict:
        return {s: self.cleaned_data.get(f"source_{s.pk}") or Decimal("0") for s in self.sources}


class PaymentForm(forms.Form):
    amount = money_field(_("金额（元）"))
    paid_on = date_field(_("拨付日期"), initial=timezone.localdate)
    voucher_number = forms.CharField(label=_("凭证号"), max_length=50)
    note = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReverseForm(forms.Form):
    reason = forms.CharField(label=_("冲销原因"), max_length=500)


class DonationForm(forms.Form):
    amount = money_field(_("金额（元）"))
    occurred_on = date_field(_("捐赠日期"), initial=timezone.localdate)
    donor_name = forms.CharField(label=_("捐赠人"), max_length=200, required=False)
    is_anonymous = forms.BooleanField(label=_("匿名捐赠（公开页面显示为“匿名”）"), required=False)
    restricted_to = forms.CharField(
        label=_("定向用途"), max_length=50, required=False, help_text=_("留空为非定向捐赠；定向捐赠只能用于该用途。")
    )
    note = forms.CharField(label=_("说明"), required=False, max_length=500)


class GrantApplyForm(forms.Form):
    kind = forms.ChoiceField(label=_("类型"), choices=MicroGrant.Kind.choices)
    title = forms.CharField(label=_("项目名称"), max_length=200)
    applicant_kind = forms.ChoiceField(label=_("申请方类型"), choices=MicroGrant.ApplicantKind.choices)
    applicant_name = forms.CharField(label=_("申请方"), max_length=200)
    community = forms.ModelChoiceField(label=_("社区（村）"), queryset=None)
    purpose = forms.CharField(label=_("项目用途"), widget=forms.Textarea(attrs={"rows": 3}))
    restricted_to = forms.CharField(
        label=_("使用定向资金"), max_length=50, required=False, help_text=_("项目符合某项定向捐赠的用途时填写该用途。")
    )

    def __init__(self, *args, communities=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["community"].queryset = communities
        for i in range(1, BUDGET_LINES + 1):
            self.fields[f"item_{i}"] = forms.CharField(
                label=_("预算用途 %(n)d") % {"n": i}, max_length=100, required=False
            )
            self.fields[f"amount_{i}"] = money_field(_("金额 %(n)d（元）") % {"n": i}, required=False)

    def clean(self):
        data = super().clean()
        lines = []
        for i in range(1, BUDGET_LINES + 1):
            item, amount = (data.get(f"item_{i}") or "").strip(), data.get(f"amount_{i}")
            if item and amount is None and f"amount_{i}" not in self.errors:
                self.add_error(f"amount_{i}", _("请填写金额。"))
            elif amount is not None and not item:
                self.add_error(f"item_{i}", _("请填写用途。"))
            elif item and amount is not None:
                lines.append({"item": item, "amount": amount})
        if not lines and not self.errors:
            raise forms.ValidationError(_("请至少填写一行预算明细。"))
        data["budget_lines"] = lines
        return data


class VoteForm(forms.Form):
    approve = forms.TypedChoiceField(
        label=_("表决意见"),
        choices=[("yes", _("同意")), ("no", _("不同意"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(label=_("意见"), required=False, max_length=1000)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


class GrantCloseForm(forms.Form):
    outcome = forms.CharField(label=_("项目成效"), widget=forms.Textarea(attrs={"rows": 4}))
    receipts = MultipleFileField(
        label=_("票据与照片"), required=False, help_text=_("JPG、PNG 或 PDF，每个不超过 10 MB，最多 10 个。")
    )

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ApiToken


class ApiTokenForm(forms.Form):
    name = forms.CharField(
        label=_("名称"), max_length=100, help_text=_("说明哪个系统使用这个令牌，例如：吴江区民政局业务系统。")
    )
    scope = forms.ChoiceField(
        label=_("权限范围"),
        choices=ApiToken.Scope.choices,
        initial=ApiToken.Scope.READ,
        widget=forms.RadioSelect,
        help_text=_("只读令牌只能查询；读写令牌还能提交和修改，权限与您本人相同。"),
    )

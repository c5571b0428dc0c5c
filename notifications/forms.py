from django import forms
from django.utils.translation import gettext_lazy as _


class PreferenceForm(forms.Form):
    email_digest = forms.BooleanField(label=_("每天把未读消息汇总发到我的邮箱"), required=False)

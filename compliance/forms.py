"""Forms of the finding page: the responsible organisation's rectification (整改) and the bureau's waiver."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.limits import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from core.uploads import MAX_UPLOAD_BYTES


class RespondForm(forms.Form):
    text = forms.CharField(
        label=_("整改说明"),
        max_length=TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "placeholder": _("做了什么、何时完成、如何防止再次发生")}),
    )
    attachment = forms.FileField(
        label=_("附件（可选）"),
        required=False,
        help_text=_("整改佐证：JPG、PNG 或 PDF，不超过 %(mb)d MB。") % {"mb": MAX_UPLOAD_BYTES // 1024 // 1024},
        widget=forms.ClearableFileInput(attrs={"accept": ".jpg,.jpeg,.png,.pdf,image/jpeg,image/png,application/pdf"}),
    )


class WaiveForm(forms.Form):
    reason = forms.CharField(
        label=_("豁免理由"),
        max_length=NOTE_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "placeholder": _("为什么不需要整改；理由将保留在处理记录中")}),
    )

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils.translation import gettext_lazy as _

from .models import CatalogueEdition

MAX_IMPORT_BYTES = 5 * 1024 * 1024


class EditionImportForm(forms.Form):
    file = forms.FileField(label=_("目录文件（xlsx 或 CSV）"), validators=[FileExtensionValidator(["xlsx", "csv"])])
    code = forms.SlugField(label=_("版本代码"), max_length=40)
    name_zh = forms.CharField(label=_("中文名称"), max_length=100)
    name_en = forms.CharField(label=_("英文名称"), max_length=200)
    year = forms.IntegerField(label=_("发布年份"), min_value=2000, max_value=2100)
    description = forms.CharField(label=_("说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    is_current = forms.BooleanField(label=_("设为当前版本"), required=False)
    replace = forms.BooleanField(label=_("替换同代码的未启用版本"), required=False)

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_IMPORT_BYTES:
            raise forms.ValidationError(_("文件不能超过5 MB。"))
        return upload


class EditionChoiceForm(forms.Form):
    edition = forms.ModelChoiceField(queryset=CatalogueEdition.objects.all(), to_field_name="code")

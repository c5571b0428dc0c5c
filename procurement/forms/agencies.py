"""Forms of the agency pages: they parse input; the services validate and write."""

from django import forms
from django.core.validators import FileExtensionValidator
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import DateInput
from procurement.models import Agency, Certificate

from ..services.agencies import MAX_ROSTER_BYTES


class AgencyProfileForm(forms.Form):
    uscc = forms.CharField(
        label=_("统一社会信用代码"),
        max_length=18,
        required=False,
        help_text=_("18位，含校验位（GB 32100-2015）。"),
    )
    registration_authority = forms.CharField(label=_("登记管理机关"), max_length=100)
    registration_authority_level = forms.ChoiceField(
        label=_("登记机关级别"),
        choices=Agency.AuthorityLevel.choices,
        initial=Agency.AuthorityLevel.COUNTY,
        help_text=_("承接项目须在县级以上民政部门登记（Q1）。"),
    )
    registration_number = forms.CharField(label=_("登记证号"), max_length=50, required=False)
    registered_on = forms.DateField(label=_("成立登记日期"), widget=DateInput())
    registration_valid_until = forms.DateField(label=_("登记证书有效期至"), widget=DateInput())
    legal_representative = forms.CharField(label=_("法定代表人"), max_length=50, required=False)
    address = forms.CharField(label=_("地址"), max_length=200, required=False)
    contact_name = forms.CharField(label=_("联系人"), max_length=50, required=False)
    contact_phone = forms.CharField(label=_("联系电话"), max_length=30, required=False)
    email = forms.EmailField(label=_("电子邮箱"), required=False)

    @classmethod
    def initial_for(cls, agency: Agency) -> dict:
        organisation = agency.organisation
        return {
            "uscc": organisation.uscc or "",
            "address": organisation.address,
            "contact_name": organisation.contact_name,
            "contact_phone": organisation.contact_phone,
            **{name: getattr(agency, name) for name in cls.base_fields if hasattr(agency, name)},
        }


class StaffForm(forms.Form):
    name = forms.CharField(label=_("姓名"), max_length=50)
    resident_id = forms.CharField(label=_("居民身份证号码"), max_length=18)
    phone = forms.CharField(label=_("手机号"), max_length=20, required=False)
    is_full_time = forms.BooleanField(label=_("专职"), required=False, initial=True)
    employed_from = forms.DateField(label=_("入职日期"), widget=DateInput())
    employed_until = forms.DateField(label=_("离职日期"), widget=DateInput(), required=False)

    def __init__(self, *args, editing: bool = False, masked_id: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if editing:
            # The manager never sees the stored number (D4): an empty field keeps it.
            field = self.fields["resident_id"]
            field.required = False
            field.help_text = _("当前：%(masked)s。留空则不修改。") % {"masked": masked_id}


class StaffEndForm(forms.Form):
    on = forms.DateField(label=_("离职日期"), widget=DateInput(), initial=timezone.localdate)


class CertificateForm(forms.Form):
    level = forms.ChoiceField(label=_("等级"), choices=Certificate.Level.choices)
    number = forms.CharField(label=_("证书编号"), max_length=50)
    issued_on = forms.DateField(label=_("发证日期"), widget=DateInput())
    expires_on = forms.DateField(label=_("有效期至"), widget=DateInput())


class RosterImportForm(forms.Form):
    file = forms.FileField(label=_("名册文件（xlsx 或 CSV）"), validators=[FileExtensionValidator(["xlsx", "csv"])])

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_ROSTER_BYTES:
            raise forms.ValidationError(_("文件不能超过5 MB。"))
        return upload


class QualificationApplyForm(forms.Form):
    registration_certificate = forms.FileField(label=_("登记证书"), help_text=_("PDF、JPG 或 PNG，不超过 10 MB。"))
    audit_report = forms.FileField(label=_("审计报告"), help_text=_("PDF、JPG 或 PNG，不超过 10 MB。"))
    note = forms.CharField(label=_("申请说明"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class QualificationApproveForm(forms.Form):
    reason = forms.CharField(
        label=_("审核意见"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写审核意见：通过或不通过都需要书面理由。")},
    )
    valid_from = forms.DateField(label=_("资格有效期起"), widget=DateInput(), required=False, help_text=_("默认今天。"))
    valid_until = forms.DateField(
        label=_("资格有效期至"), widget=DateInput(), required=False, help_text=_("默认两年。")
    )


class QualificationRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("不通过的理由"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("请填写审核意见：通过或不通过都需要书面理由。")},
    )

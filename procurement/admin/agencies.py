"""Admin of rounds, agencies, staff, certificates and qualification applications. Writes go through the
same services as the pages; resident IDs are masked in lists (D4)."""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _t
from django.utils.translation import gettext_lazy as _
from simple_history.admin import SimpleHistoryAdmin

from core.forms import DateInput
from procurement.models import Agency, Certificate, QualificationApplication, Round, StaffMember

from ..services import agencies as services


@admin.register(Round)
class RoundAdmin(SimpleHistoryAdmin):
    list_display = ["name_zh", "code", "year", "edition", "min_full_time_staff", "min_certified_share", "is_current"]
    list_filter = ["is_current", "year"]
    search_fields = ["code", "name_zh", "name_en"]
    list_select_related = ["edition"]


def _changed(form, names) -> dict:
    return {name: form.cleaned_data[name] for name in form.changed_data if name in names}


def _service_checked_form(check):
    """A ModelForm that also runs a service's validation, so the admin shows its messages on the form
    instead of failing when save_model calls the service."""

    class Form(forms.ModelForm):
        def _post_clean(self):
            super()._post_clean()
            try:
                check(self.instance)
            except ValidationError as exc:
                for name, errors in exc.message_dict.items():
                    field = name if name in self.fields else None
                    shown = self.errors.get(field or NON_FIELD_ERRORS, [])
                    for message in errors:
                        if message not in shown:
                            self.add_error(field, message)

    return Form


@admin.register(Agency)
class AgencyAdmin(SimpleHistoryAdmin):
    list_display = [
        "organisation",
        "registration_authority",
        "registration_authority_level",
        "registration_valid_until",
        "is_social_work_agency",
    ]
    list_filter = ["registration_authority_level", "is_social_work_agency"]
    search_fields = ["organisation__name", "organisation__uscc", "registration_number"]
    list_select_related = ["organisation"]
    autocomplete_fields = ["organisation"]
    form = _service_checked_form(services.agency_registration_clean)

    def get_readonly_fields(self, request, obj=None):
        return ["organisation", "updated_at"] if obj is not None else ["updated_at"]

    def save_model(self, request, obj, form, change):
        fields = _changed(form, services.AGENCY_FIELDS | services.BUREAU_ONLY_AGENCY_FIELDS)
        if change:
            saved = services.agency_profile_update(actor=request.user, agency=obj, **fields)
        else:
            everything = {
                name: form.cleaned_data[name]
                for name in services.AGENCY_FIELDS | services.BUREAU_ONLY_AGENCY_FIELDS
                if name in form.cleaned_data
            }
            saved = services.agency_profile_create(
                actor=request.user, organisation=form.cleaned_data["organisation"], **everything
            )
        obj.pk = saved.pk
        obj.refresh_from_db()


class DecisionForm(forms.Form):
    reason = forms.CharField(label=_("审核意见"), widget=forms.Textarea(attrs={"rows": 3, "cols": 60}))
    valid_from = forms.DateField(label=_("资格有效期起"), required=False, widget=DateInput())
    valid_until = forms.DateField(label=_("资格有效期至"), required=False, widget=DateInput())


def _file_link(application, field: str):
    if not getattr(application, field):
        return "—"
    url = reverse("procurement:qualification-file", args=[application.pk, field])
    return format_html('<a href="{}">{}</a>', url, _t("下载"))


@admin.register(QualificationApplication)
class QualificationApplicationAdmin(SimpleHistoryAdmin):
    list_display = ["agency", "status", "submitted_at", "submitted_by", "decided_at", "valid_from", "valid_until"]
    list_filter = ["status"]
    search_fields = ["agency__organisation__name"]
    list_select_related = ["agency__organisation", "submitted_by"]
    actions = ["approve", "reject"]
    fields = [
        "agency",
        "status",
        "note",
        "registration_certificate_link",
        "audit_report_link",
        "roster_file_link",
        "submitted_by",
        "submitted_at",
        "decided_by",
        "decided_at",
        "reason",
        "valid_from",
        "valid_until",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        # Applications come from agencies (with their documents), through the agency's page.
        return False

    @admin.display(description=_("登记证书"))
    def registration_certificate_link(self, obj):
        return _file_link(obj, "registration_certificate")

    @admin.display(description=_("审计报告"))
    def audit_report_link(self, obj):
        return _file_link(obj, "audit_report")

    @admin.display(description=_("人员名册"))
    def roster_file_link(self, obj):
        return _file_link(obj, "roster_file")

    def _decide(self, request, queryset, *, approve: bool):
        """Both decisions need a written reason (Q6), so the action asks for it on an intermediate page."""
        pending = list(queryset.filter(status=QualificationApplication.Status.SUBMITTED))
        if not pending:
            self.message_user(request, _t("所选申请都已审核，无需再次审核。"), messages.WARNING)
            return None
        form = DecisionForm(request.POST if "decide" in request.POST else None)
        if form.is_valid():
            done, failed = 0, []
            for application in pending:
                try:
                    if approve:
                        services.qualification_approve(actor=request.user, application=application, **form.cleaned_data)
                    else:
                        services.qualification_reject(
                            actor=request.user, application=application, reason=form.cleaned_data["reason"]
                        )
                    done += 1
                except ValidationError as exc:
                    failed.append(f"{application.agency}：{'；'.join(exc.messages)}")
            if done:
                message = _t("已批准 %(n)d 份申请。") if approve else _t("已驳回 %(n)d 份申请。")
                self.message_user(request, message % {"n": done}, messages.SUCCESS)
            for message in failed:
                self.message_user(request, message, messages.ERROR)
            return None
        if not approve:
            del form.fields["valid_from"], form.fields["valid_until"]
        context = {
            **self.admin_site.each_context(request),
            "title": _t("批准资格申请") if approve else _t("驳回资格申请"),
            "opts": self.model._meta,
            "form": form,
            "applications": pending,
            "action": request.POST.get("action"),
            "selected": request.POST.getlist(admin.helpers.ACTION_CHECKBOX_NAME),
        }
        return TemplateResponse(request, "procurement/agencies/admin_decide.html", context)

    @admin.action(description=_("批准所选申请（需填写审核意见）"))
    def approve(self, request, queryset):
        return self._decide(request, queryset, approve=True)

    @admin.action(description=_("驳回所选申请（需填写审核意见）"))
    def reject(self, request, queryset):
        return self._decide(request, queryset, approve=False)


@admin.register(StaffMember)
class StaffMemberAdmin(SimpleHistoryAdmin):
    list_display = ["name", "resident_id_display", "agency", "is_full_time", "employed_from", "employed_until"]
    list_filter = ["is_full_time", "agency"]
    search_fields = ["name"]
    list_select_related = ["agency__organisation"]
    autocomplete_fields = ["agency"]
    form = _service_checked_form(services.staff_member_clean)

    @admin.display(description=_("居民身份证号码"))
    def resident_id_display(self, obj: StaffMember) -> str:
        # D4: never in list output, masked even for the bureau.
        return obj.resident_id_masked

    def get_readonly_fields(self, request, obj=None):
        return ["agency"] if obj is not None else []

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.staff_member_update(actor=request.user, staff=obj, **_changed(form, services.STAFF_FIELDS))
        else:
            data = {name: form.cleaned_data[name] for name in services.STAFF_FIELDS if name in form.cleaned_data}
            saved = services.staff_member_create(actor=request.user, agency=form.cleaned_data["agency"], **data)
        obj.pk = saved.pk
        obj.refresh_from_db()


@admin.register(Certificate)
class CertificateAdmin(SimpleHistoryAdmin):
    list_display = ["number", "level", "staff", "staff_agency", "issued_on", "expires_on"]
    list_filter = ["level"]
    search_fields = ["number", "staff__name"]
    list_select_related = ["staff__agency__organisation"]
    autocomplete_fields = ["staff"]
    form = _service_checked_form(services.certificate_clean)

    @admin.display(description=_("社工机构"))
    def staff_agency(self, obj: Certificate):
        return obj.staff.agency

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.certificate_update(
                actor=request.user, certificate=obj, **_changed(form, services.CERTIFICATE_FIELDS)
            )
        else:
            data = {name: form.cleaned_data[name] for name in services.CERTIFICATE_FIELDS}
            saved = services.certificate_create(actor=request.user, staff=form.cleaned_data["staff"], **data)
        obj.pk = saved.pk
        obj.refresh_from_db()

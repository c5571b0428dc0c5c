"""Pages of agencies: the profile (Q1), the staff roster with certificates (D4, Q5), its xlsx/CSV import
and export, and qualification applications with the bureau's decision (Q6)."""

from __future__ import annotations

import datetime
import io
import mimetypes
from pathlib import PurePosixPath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db.models import Count, Max, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.forms import add_service_errors
from core.permissions import require
from core.tabular import read_table
from core.uploads import private_file_response
from directory.models import Organisation, Role
from directory.permissions import can_see_full_resident_id, scope_for
from procurement.models import Certificate, QualificationApplication, Round, StaffMember
from procurement.permissions import (
    can_apply_qualification,
    can_create_agency_profile,
    can_decide_qualification,
    can_edit_agency,
    can_view_qualification_file,
    can_view_roster,
)
from procurement.selectors import agency_list, qualification_filtered, qualification_list, staff_list, staff_roster

from ..forms.agencies import (
    AgencyProfileForm,
    CertificateForm,
    QualificationApplyForm,
    QualificationApproveForm,
    QualificationRejectForm,
    RosterImportForm,
    StaffEndForm,
    StaffForm,
)
from ..rules import EXPIRY_WARNING_DAYS, Thresholds, qualification_check, staffing_check, valid_certificate
from ..services import agencies as services

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def expiry_state(day: datetime.date | None, today: datetime.date) -> str:
    """Q5 as a badge: "expired", "expiring" (within 60 days) or "" (fine or no date)."""
    if day is None:
        return ""
    if day < today:
        return "expired"
    if (day - today).days <= EXPIRY_WARNING_DAYS:
        return "expiring"
    return ""


def _agency(request, pk: int):
    return get_object_or_404(agency_list(user=request.user), pk=pk)


def _staff(request, pk: int) -> StaffMember:
    return get_object_or_404(staff_list(user=request.user), pk=pk)


# --- agencies ------------------------------------------------------------------------------------


@login_required
def agency_mine(request):
    """The user's own agency; a choice when they act for several, and an offer to set up a missing profile."""
    scope = scope_for(request.user)
    if not scope.agency_ids:
        if scope.sees_all:
            return redirect("procurement:agency-list")
        raise Http404
    organisations = list(
        Organisation.objects.filter(id__in=scope.agency_ids, is_active=True).select_related("agency").order_by("name")
    )
    if len(organisations) == 1 and hasattr(organisations[0], "agency"):
        return redirect(organisations[0].agency)
    rows = [
        {
            "organisation": o,
            "agency": getattr(o, "agency", None),
            "can_create": not hasattr(o, "agency") and can_create_agency_profile(request.user, o),
        }
        for o in organisations
    ]
    return render(request, "procurement/agencies/agency_mine.html", {"rows": rows})


@login_required
def agency_list_view(request):
    """Agencies the user may see, with their registration and qualification dates (Q5 badges)."""
    today = timezone.localdate()
    approved = Q(
        qualifications__status=QualificationApplication.Status.APPROVED,
        qualifications__valid_from__lte=today,
    )
    agencies = list(
        agency_list(user=request.user)
        .annotate(
            qualified_until=Max("qualifications__valid_until", filter=approved),
            pending=Count("qualifications", filter=Q(qualifications__status=QualificationApplication.Status.SUBMITTED)),
        )
        .order_by("organisation__name")
    )
    for a in agencies:
        a.registration_state = expiry_state(a.registration_valid_until, today)
        a.qualification_state = expiry_state(a.qualified_until, today) if a.qualified_until else "none"
    return render(request, "procurement/agencies/agency_list.html", {"agencies": agencies})


@login_required
def agency_detail(request, pk: int):
    """An agency's profile, whether it may bid or hold a package now (Q1) with Q5's warnings, and its
    qualification applications with the bureau's decisions (Q6)."""
    agency = _agency(request, pk)
    today = timezone.localdate()
    applications = list(qualification_list(user=request.user).filter(agency=agency))
    pending = any(a.status == QualificationApplication.Status.SUBMITTED for a in applications)
    decided = [a for a in applications if a.status != QualificationApplication.Status.SUBMITTED]
    context = {
        "agency": agency,
        "check": qualification_check(agency, on=today),
        "applications": applications,
        "latest_decision": max(decided, key=lambda a: a.decided_at, default=None),
        "pending": pending,
        "registration_state": expiry_state(agency.registration_valid_until, today),
        "can_edit": can_edit_agency(request.user, agency),
        "can_view_roster": can_view_roster(request.user, agency),
        "can_apply": can_apply_qualification(request.user, agency) and not pending,
    }
    return render(request, "procurement/agencies/agency_detail.html", context)


@login_required
def agency_create(request, organisation_pk: int):
    """Set up the Agency profile of an agency organisation that has none yet."""
    organisation = get_object_or_404(
        Organisation.objects.filter(kind=Organisation.Kind.AGENCY, agency__isnull=True), pk=organisation_pk
    )
    if not can_create_agency_profile(request.user, organisation):
        raise Http404
    form = AgencyProfileForm(
        request.POST or None,
        initial={
            "uscc": organisation.uscc or "",
            "address": organisation.address,
            "contact_name": organisation.contact_name,
            "contact_phone": organisation.contact_phone,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_profile_create(actor=request.user, organisation=organisation, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("机构档案已建立。"))
            return redirect(agency)
    return render(
        request,
        "procurement/agencies/agency_form.html",
        {"form": form, "organisation": organisation, "agency": None},
    )


@login_required
def agency_update(request, pk: int):
    agency = _agency(request, pk)
    require(can_edit_agency(request.user, agency))
    form = AgencyProfileForm(request.POST or None, initial=AgencyProfileForm.initial_for(agency))
    if request.method == "POST" and form.is_valid():
        try:
            services.agency_profile_update(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("机构档案已保存。"))
            return redirect(agency)
    return render(
        request,
        "procurement/agencies/agency_form.html",
        {"form": form, "organisation": agency.organisation, "agency": agency},
    )


# --- roster --------------------------------------------------------------------------------------


def _annotate_certificates(staff: list[StaffMember], today: datetime.date) -> None:
    for s in staff:
        s.valid_cert = valid_certificate(s, today)
        certificates = list(s.certificates.all())
        s.shown_cert = s.valid_cert or (certificates[0] if certificates else None)
        s.cert_state = expiry_state(s.shown_cert.expires_on, today) if s.shown_cert else ""


@login_required
def staff_list_view(request, pk: int):
    """The roster: masked resident IDs for everyone (D4), each person's certificate with its Q5 badge,
    and the roster measured against the current round's Q2/Q3 thresholds."""
    agency = _agency(request, pk)
    require(can_view_roster(request.user, agency))
    today = timezone.localdate()
    staff, filterset = staff_roster(user=request.user, agency=agency, filters=request.GET)
    staff = list(staff)
    _annotate_certificates(staff, today)
    context = {"agency": agency, "staff": staff, "filter": filterset, "can_edit": can_edit_agency(request.user, agency)}
    if request.htmx:
        return render(request, "procurement/agencies/partials/_staff_table.html", context)
    current_round = Round.objects.filter(is_current=True).first()
    if current_round is not None:
        current, _filters = staff_roster(user=request.user, agency=agency, filters={"status": "current"})
        context["round"] = current_round
        context["staffing"] = staffing_check(current, on=today, thresholds=Thresholds.of(current_round))
    return render(request, "procurement/agencies/staff_list.html", context)


@login_required
def staff_create(request, pk: int):
    agency = _agency(request, pk)
    require(can_edit_agency(request.user, agency))
    form = StaffForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            staff = services.staff_member_create(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已添加 %(name)s。") % {"name": staff.name})
            return redirect("procurement:staff-detail", pk=staff.pk)
    return render(request, "procurement/agencies/staff_form.html", {"form": form, "agency": agency, "staff": None})


@login_required
def staff_detail(request, pk: int):
    """One person: the full resident ID for the bureau only (D4), certificates with Q5 badges."""
    staff = _staff(request, pk)
    today = timezone.localdate()
    certificates = list(staff.certificates.all())
    for c in certificates:
        c.state = expiry_state(c.expires_on, today)
        c.counts = c.issued_on <= today <= c.expires_on
    context = {
        "staff": staff,
        "agency": staff.agency,
        "resident_id": staff.resident_id if can_see_full_resident_id(request.user) else staff.resident_id_masked,
        "certificates": certificates,
        "can_edit": can_edit_agency(request.user, staff.agency),
        "end_form": StaffEndForm(),
    }
    return render(request, "procurement/agencies/staff_detail.html", context)


@login_required
def staff_update(request, pk: int):
    staff = _staff(request, pk)
    require(can_edit_agency(request.user, staff.agency))
    full = can_see_full_resident_id(request.user)
    initial = {
        "name": staff.name,
        "resident_id": staff.resident_id if full else "",
        "phone": staff.phone,
        "is_full_time": staff.is_full_time,
        "employed_from": staff.employed_from,
        "employed_until": staff.employed_until,
    }
    form = StaffForm(request.POST or None, initial=initial, editing=True, masked_id=staff.resident_id_masked)
    if request.method == "POST" and form.is_valid():
        try:
            services.staff_member_update(actor=request.user, staff=staff, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已保存 %(name)s 的信息。") % {"name": form.cleaned_data["name"]})
            return redirect("procurement:staff-detail", pk=staff.pk)
    return render(
        request, "procurement/agencies/staff_form.html", {"form": form, "agency": staff.agency, "staff": staff}
    )


@login_required
@require_POST
def staff_end(request, pk: int):
    """Record the end of a person's employment; they stop counting for Q2/Q3 after that date."""
    staff = _staff(request, pk)
    require(can_edit_agency(request.user, staff.agency))
    form = StaffEndForm(request.POST)
    if form.is_valid():
        try:
            services.staff_member_end_employment(actor=request.user, staff=staff, on=form.cleaned_data["on"])
        except ValidationError as exc:
            for message in exc.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("已登记 %(name)s 离职。") % {"name": staff.name})
    else:
        messages.error(request, _("请填写有效的离职日期。"))
    return redirect("procurement:staff-detail", pk=staff.pk)


@login_required
def certificate_create(request, pk: int):
    staff = _staff(request, pk)
    require(can_edit_agency(request.user, staff.agency))
    form = CertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_create(actor=request.user, staff=staff, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("证书已登记。"))
            return redirect("procurement:staff-detail", pk=staff.pk)
    return render(
        request, "procurement/agencies/certificate_form.html", {"form": form, "staff": staff, "certificate": None}
    )


@login_required
def certificate_update(request, pk: int):
    certificate = get_object_or_404(
        Certificate.objects.select_related("staff__agency__organisation").filter(
            staff_id__in=staff_list(user=request.user).values("id")
        ),
        pk=pk,
    )
    staff = certificate.staff
    require(can_edit_agency(request.user, staff.agency))
    initial = {f: getattr(certificate, f) for f in ("level", "number", "issued_on", "expires_on")}
    form = CertificateForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_update(actor=request.user, certificate=certificate, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("证书已保存。"))
            return redirect("procurement:staff-detail", pk=staff.pk)
    return render(
        request,
        "procurement/agencies/certificate_form.html",
        {"form": form, "staff": staff, "certificate": certificate},
    )


@login_required
def staff_import(request, pk: int):
    """Import a roster from xlsx or CSV (columns documented on the page): all or nothing; every bad row is
    reported by its number; a resident ID already on the roster updates that person."""
    agency = _agency(request, pk)
    require(can_edit_agency(request.user, agency))
    form = RosterImportForm(request.POST or None, request.FILES or None)
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            rows = read_table(upload.read(), upload.name)
            result = services.roster_import(actor=request.user, agency=agency, rows=rows)
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(
                request,
                _("名册已导入：新增 %(c)d 人，更新 %(u)d 人，登记证书 %(n)d 张。")
                % {"c": result.created, "u": result.updated, "n": result.certificates},
            )
            return redirect("procurement:staff-list", pk=agency.pk)
    context = {
        "agency": agency,
        "form": form,
        "errors": errors,
        "columns": services.ROSTER_COLUMNS,
        "levels": list(services.LEVEL_NAMES.values()),
    }
    return render(
        request, "procurement/agencies/staff_import.html", context, status=400 if errors or form.errors else 200
    )


@login_required
def staff_export(request, pk: int):
    """The roster in the import format; resident IDs masked unless the exporter is the bureau (D4)."""
    agency = _agency(request, pk)
    require(can_view_roster(request.user, agency))
    stamp = timezone.localdate().strftime("%Y%m%d")
    if request.GET.get("format") == "csv":
        content, content_type, extension = (
            services.roster_export_csv(actor=request.user, agency=agency),
            "text/csv; charset=utf-8",
            "csv",
        )
    else:
        content, content_type, extension = services.roster_export_xlsx(actor=request.user, agency=agency), XLSX, "xlsx"
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="roster-{agency.pk}-{stamp}.{extension}"'
    return response


# --- qualification (Q6) --------------------------------------------------------------------------


@login_required
def qualification_list_view(request):
    """The bureau's review queue (pending first by default); an agency manager sees its own applications."""
    scope = scope_for(request.user)
    require(scope.sees_all or bool(scope.orgs_for(Role.AGENCY_MANAGER)))
    filters = request.GET.copy()
    if "status" not in filters and can_decide_qualification(request.user):
        filters["status"] = QualificationApplication.Status.SUBMITTED
    applications, filterset = qualification_filtered(user=request.user, filters=filters)
    return render(
        request,
        "procurement/agencies/qualification_list.html",
        {
            "applications": list(applications.order_by("submitted_at")),
            "filter": filterset,
            "statuses": QualificationApplication.Status.choices,
        },
    )


@login_required
def qualification_create(request, pk: int):
    """The agency manager applies with the registration certificate and the audit report; the roster is
    snapshotted with the application."""
    agency = _agency(request, pk)
    require(can_apply_qualification(request.user, agency))
    pending = agency.qualifications.filter(status=QualificationApplication.Status.SUBMITTED).first()
    form = QualificationApplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and pending is None and form.is_valid():
        try:
            application = services.qualification_apply(actor=request.user, agency=agency, **form.cleaned_data)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("资格申请已提交，请等待民政局审核。"))
            return redirect("procurement:qualification-detail", pk=application.pk)
    return render(
        request,
        "procurement/agencies/qualification_form.html",
        {"agency": agency, "form": form, "pending": pending},
        status=400 if form.errors else 200,
    )


def _decision_context(request, application, approve_form=None, reject_form=None) -> dict:
    may_decide = (
        can_decide_qualification(request.user) and application.status == QualificationApplication.Status.SUBMITTED
    )
    return {
        "application": application,
        "can_decide": may_decide,
        "approve_form": approve_form or QualificationApproveForm(),
        "reject_form": reject_form or QualificationRejectForm(),
    }


@login_required
def qualification_detail(request, pk: int):
    application = get_object_or_404(qualification_list(user=request.user), pk=pk)
    context = _decision_context(request, application)
    context["can_download"] = can_view_qualification_file(request.user, application)
    context.update(_staff_summary(request, application))
    return render(request, "procurement/agencies/qualification_detail.html", context)


def _staff_summary(request, application) -> dict:
    """What the reviewer weighs: the agency's current full-time staff and certified share against the current
    round's thresholds (Q2, Q3), and the certificates that lapse within the qualification's validity (Q5)."""
    today = timezone.localdate()
    current_round = Round.objects.filter(is_current=True).first()
    if current_round is None or not can_view_roster(request.user, application.agency):
        return {}
    current, _filters = staff_roster(user=request.user, agency=application.agency, filters={"status": "current"})
    current = list(current)
    valid_until = application.valid_until or services.default_valid_until(today)
    expiring = []
    for person in current:
        certificate = valid_certificate(person, today)
        if certificate is not None and certificate.expires_on <= valid_until:
            expiring.append((person, certificate))
    expiring.sort(key=lambda pair: pair[1].expires_on)
    return {
        "staffing": staffing_check(current, on=today, thresholds=Thresholds.of(current_round)),
        "validity_end": valid_until,
        "expiring": expiring,
    }


def _render_decision(request, application, context, status=200):
    if request.htmx:
        return render(request, "procurement/agencies/partials/_decision.html", context, status=status)
    context["can_download"] = can_view_qualification_file(request.user, application)
    context.update(_staff_summary(request, application))
    return render(request, "procurement/agencies/qualification_detail.html", context, status=status)


@login_required
@require_POST
def qualification_approve(request, pk: int):
    application = get_object_or_404(qualification_list(user=request.user), pk=pk)
    require(can_decide_qualification(request.user))
    form = QualificationApproveForm(request.POST)
    if form.is_valid():
        try:
            application = services.qualification_approve(
                actor=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已批准 %(agency)s 的资格申请。") % {"agency": application.agency})
            return _render_decision(request, application, _decision_context(request, application))
    return _render_decision(request, application, _decision_context(request, application, approve_form=form), 400)


@login_required
@require_POST
def qualification_reject(request, pk: int):
    application = get_object_or_404(qualification_list(user=request.user), pk=pk)
    require(can_decide_qualification(request.user))
    form = QualificationRejectForm(request.POST)
    if form.is_valid():
        try:
            application = services.qualification_reject(
                actor=request.user, application=application, **form.cleaned_data
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("已驳回 %(agency)s 的资格申请。") % {"agency": application.agency})
            return _render_decision(request, application, _decision_context(request, application))
    return _render_decision(request, application, _decision_context(request, application, reject_form=form), 400)


QUALIFICATION_FILES = {"registration_certificate", "audit_report", "roster_file"}


@login_required
def qualification_file(request, pk: int, field: str):
    """A qualification document, served only to the applicant's manager and the city-wide roles; the roster
    snapshot has its resident IDs masked for everyone but the bureau (D4)."""
    application = get_object_or_404(qualification_list(user=request.user), pk=pk)
    if field not in QUALIFICATION_FILES or not can_view_qualification_file(request.user, application):
        raise Http404
    stored = getattr(application, field)
    if not stored:
        raise Http404
    filename = PurePosixPath(stored.name).name
    if field == "roster_file":
        content = services.roster_snapshot_for(user=request.user, application=application)
        return FileResponse(io.BytesIO(content), as_attachment=True, filename=filename, content_type=XLSX)
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    return private_file_response(stored, filename=filename, content_type=content_type)


urlpatterns = [
    path("agency/", agency_mine, name="agency-mine"),
    path("agencies/", agency_list_view, name="agency-list"),
    path("agencies/<int:pk>/", agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/edit/", agency_update, name="agency-update"),
    path("organisations/<int:organisation_pk>/agency/new/", agency_create, name="agency-create"),
    path("agencies/<int:pk>/staff/", staff_list_view, name="staff-list"),
    path("agencies/<int:pk>/staff/new/", staff_create, name="staff-create"),
    path("agencies/<int:pk>/staff/import/", staff_import, name="staff-import"),
    path("agencies/<int:pk>/staff/export/", staff_export, name="staff-export"),
    path("staff/<int:pk>/", staff_detail, name="staff-detail"),
    path("staff/<int:pk>/edit/", staff_update, name="staff-update"),
    path("staff/<int:pk>/end/", staff_end, name="staff-end"),
    path("staff/<int:pk>/certificates/new/", certificate_create, name="certificate-create"),
    path("certificates/<int:pk>/edit/", certificate_update, name="certificate-update"),
    path("agencies/<int:pk>/qualifications/new/", qualification_create, name="qualification-create"),
    path("qualifications/", qualification_list_view, name="qualification-list"),
    path("qualifications/<int:pk>/", qualification_detail, name="qualification-detail"),
    path("qualifications/<int:pk>/approve/", qualification_approve, name="qualification-approve"),
    path("qualifications/<int:pk>/reject/", qualification_reject, name="qualification-reject"),
    path("qualifications/<int:pk>/files/<str:field>/", qualification_file, name="qualification-file"),
]

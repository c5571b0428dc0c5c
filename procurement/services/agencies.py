"""Writes for agencies: the profile (Q1 facts), the staff roster and certificates (D4, Q5), the roster's
xlsx/CSV import and export, and qualification applications with the bureau's decision (Q6)."""

from __future__ import annotations

import datetime
import io
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _

from core.tabular import csv_bytes, xlsx_bytes
from core.uploads import EXTENSIONS, sniff_upload
from directory.models import Organisation
from directory.permissions import can_see_full_resident_id, is_bureau_admin
from directory.validators import mask_resident_id, validate_resident_id
from procurement.models import Agency, Certificate, QualificationApplication, StaffMember
from procurement.permissions import (
    can_apply_qualification,
    can_create_agency_profile,
    can_decide_qualification,
    can_edit_agency,
)

from ..rules import valid_certificate

# --- profile -------------------------------------------------------------------------------------

# What the agency keeps itself: its organisation's identity and contacts, and its registration facts.
ORGANISATION_FIELDS = {"uscc", "address", "contact_name", "contact_phone"}
AGENCY_FIELDS = {
    "registration_authority",
    "registration_authority_level",
    "registration_number",
    "registered_on",
    "registration_valid_until",
    "legal_representative",
    "email",
}
# Whether an organisation is a professional social-work agency (Q1) is the bureau's finding, not a claim.
BUREAU_ONLY_AGENCY_FIELDS = {"is_social_work_agency"}


def _split_profile_fields(actor, fields: dict) -> tuple[dict, dict]:
    unknown = set(fields) - ORGANISATION_FIELDS - AGENCY_FIELDS - BUREAU_ONLY_AGENCY_FIELDS
    if unknown:
        raise ValidationError(_("不能修改字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    if set(fields) & BUREAU_ONLY_AGENCY_FIELDS and actor is not None and not is_bureau_admin(actor):
        raise PermissionDenied(_("是否为专业社会工作服务机构由民政局认定。"))
    org_fields = {k: v for k, v in fields.items() if k in ORGANISATION_FIELDS}
    agency_fields = {k: v for k, v in fields.items() if k not in ORGANISATION_FIELDS}
    if "uscc" in org_fields:
        org_fields["uscc"] = (org_fields["uscc"] or "").strip().upper() or None
    return org_fields, agency_fields


def agency_registration_clean(agency: Agency) -> None:
    """The registration dates must be plausible: registered in the past, valid until after that."""
    errors = {}
    today = timezone.localdate()
    if agency.registered_on and agency.registered_on > today:
        errors["registered_on"] = _("成立登记日期不能晚于今天。")
    if (
        agency.registered_on
        and agency.registration_valid_until
        and agency.registration_valid_until <= agency.registered_on
    ):
        errors["registration_valid_until"] = _("登记证书有效期应晚于成立登记日期。")
    if errors:
        raise ValidationError(errors)


def _save_profile(organisation: Organisation, agency: Agency) -> Agency:
    errors: dict[str, list[str]] = {}
    for obj in (organisation, agency):
        try:
            obj.full_clean(exclude=["organisation"] if obj is agency else None)
        except ValidationError as exc:
            for name, messages in exc.message_dict.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    agency_registration_clean(agency)
    organisation.save()
    agency.organisation = organisation
    agency.save()
    return agency


@transaction.atomic
def agency_profile_create(*, actor, organisation: Organisation, **fields) -> Agency:
    """Create the Agency profile of an agency organisation (one per organisation).

    `fields` are Agency fields (registration facts, legal representative, email) and the organisation's
    USCC (checked per D3), address and contacts. The agency's manager or the bureau may do this.
    """
    if actor is not None and not can_create_agency_profile(actor, organisation):
        raise PermissionDenied(_("只有该机构的负责人或民政局管理员可以建立机构档案。"))
    if organisation.kind != Organisation.Kind.AGENCY:
        raise ValidationError(_("只有社工机构类组织可以建立机构档案。"))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if Agency.objects.filter(organisation=organisation).exists():
        raise ValidationError(_("“%(org)s”已有机构档案，请直接修改。") % {"org": organisation.name})
    org_fields, agency_fields = _split_profile_fields(actor, fields)
    for name, value in org_fields.items():
        setattr(organisation, name, value)
    agency = Agency(organisation=organisation, **agency_fields)
    return _save_profile(organisation, agency)


@transaction.atomic
def agency_profile_update(*, actor, agency: Agency, **fields) -> Agency:
    """Change an agency's profile: Agency fields and its organisation's USCC (D3), address and contacts."""
    if actor is not None and not can_edit_agency(actor, agency):
        raise PermissionDenied(_("只有该机构的负责人或民政局管理员可以修改机构档案。"))
    org_fields, agency_fields = _split_profile_fields(actor, fields)
    agency = Agency.objects.select_for_update().select_related("organisation").get(pk=agency.pk)
    organisation = agency.organisation
    for name, value in org_fields.items():
        setattr(organisation, name, value)
    for name, value in agency_fields.items():
        setattr(agency, name, value)
    return _save_profile(organisation, agency)


# --- staff and certificates ----------------------------------------------------------------------

STAFF_FIELDS = {"name", "resident_id", "phone", "is_full_time", "employed_from", "employed_until"}
CERTIFICATE_FIELDS = {"level", "number", "issued_on", "expires_on"}
PHONE_RE = re.compile(r"^\+?[0-9][0-9\- ]{4,19}$")


def _require_roster_editor(actor, agency: Agency) -> None:
    if actor is not None and not can_edit_agency(actor, agency):
        raise PermissionDenied(_("只有该机构的负责人或民政局管理员可以维护人员名册。"))


def staff_member_clean(staff: StaffMember) -> None:
    """Validate a roster row (unsaved changes included) with messages a manager can act on; the model's
    constraints would only name themselves. Never puts the resident ID into a message (D4)."""
    staff.name = (staff.name or "").strip()
    staff.resident_id = (staff.resident_id or "").strip().upper()
    staff.phone = (staff.phone or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        staff.full_clean(exclude=["agency"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    if staff.phone and not PHONE_RE.match(staff.phone):
        errors.setdefault("phone", []).append(_("手机号格式不正确。"))
    if staff.employed_from and staff.employed_until and staff.employed_until < staff.employed_from:
        errors.setdefault("employed_until", []).append(_("离职日期不能早于入职日期。"))
    if (
        "resident_id" not in errors
        and StaffMember.objects.filter(agency_id=staff.agency_id, resident_id=staff.resident_id)
        .exclude(pk=staff.pk)
        .exists()
    ):
        errors.setdefault("resident_id", []).append(_duplicate_resident_id())
    if errors:
        raise ValidationError(errors)


def certificate_clean(certificate: Certificate) -> None:
    """Validate a certificate: ordered dates, not issued in the future, a number not registered before."""
    certificate.number = (certificate.number or "").strip()
    errors: dict[str, list[str]] = {}
    try:
        certificate.full_clean(exclude=["staff"], validate_constraints=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    today = timezone.localdate()
    if certificate.issued_on and certificate.issued_on > today:
        errors.setdefault("issued_on", []).append(_("发证日期不能晚于今天。"))
    if certificate.issued_on and certificate.expires_on and certificate.expires_on <= certificate.issued_on:
        errors.setdefault("expires_on", []).append(_("证书有效期应晚于发证日期。"))
    if (
        certificate.number
        and Certificate.objects.filter(number__iexact=certificate.number).exclude(pk=certificate.pk).exists()
    ):
        errors.setdefault("number", []).append(_duplicate_certificate(certificate))
    if errors:
        raise ValidationError(errors)


def _duplicate_resident_id() -> str:
    return _("本机构名册中已有该身份证号码的人员。")


def _duplicate_certificate(certificate: Certificate) -> str:
    return _("证书编号“%(n)s”已登记，请核对；同一证书不能登记两次。") % {"n": certificate.number}


def _save_unique(row, field: str, message: str) -> None:
    """Save a row whose uniqueness was checked just before: if a concurrent request (a double click) saved
    the same row in between, its unique constraint refuses this one with the check's message, not a 500."""
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise ValidationError({field: [message]}) from None


@transaction.atomic
def staff_member_create(
    *,
    actor,
    agency: Agency,
    name: str,
    resident_id: str,
    employed_from: datetime.date,
    phone: str = "",
    is_full_time: bool = True,
    employed_until: datetime.date | None = None,
) -> StaffMember:
    """Add a person to the agency's roster. The resident ID is checked (D4) and unique within the agency."""
    _require_roster_editor(actor, agency)
    # Roster writes of one agency take turns (as roster_import does), so the uniqueness check below holds.
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    staff = StaffMember(
        agency=agency,
        name=name,
        resident_id=resident_id,
        phone=phone,
        is_full_time=is_full_time,
        employed_from=employed_from,
        employed_until=employed_until,
    )
    staff_member_clean(staff)
    _save_unique(staff, "resident_id", _duplicate_resident_id())
    return staff


@transaction.atomic
def staff_member_update(*, actor, staff: StaffMember, **fields) -> StaffMember:
    """Change a roster row. A blank `resident_id` leaves the stored number as it is (the manager only
    ever sees it masked, D4)."""
    _require_roster_editor(actor, staff.agency)
    unknown = set(fields) - STAFF_FIELDS
    if unknown:
        raise ValidationError(_("不能修改字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    if not (fields.get("resident_id") or "").strip():
        fields.pop("resident_id", None)
    staff = StaffMember.objects.select_for_update().get(pk=staff.pk)
    for name, value in fields.items():
        setattr(staff, name, value)
    staff_member_clean(staff)
    _save_unique(staff, "resident_id", _duplicate_resident_id())
    return staff


@transaction.atomic
def staff_member_end_employment(*, actor, staff: StaffMember, on: datetime.date) -> StaffMember:
    """Record that a person left the agency on a date; they stay on the roster's history and no longer
    count for Q2/Q3 after it."""
    return staff_member_update(actor=actor, staff=staff, employed_until=on)


@transaction.atomic
def certificate_create(
    *,
    actor,
    staff: StaffMember,
    level: str,
    number: str,
    issued_on: datetime.date,
    expires_on: datetime.date,
) -> Certificate:
    """Record a social-worker certificate; the number is unique city-wide and the dates must be ordered."""
    _require_roster_editor(actor, staff.agency)
    certificate = Certificate(staff=staff, level=level, number=number, issued_on=issued_on, expires_on=expires_on)
    certificate_clean(certificate)
    _save_unique(certificate, "number", _duplicate_certificate(certificate))
    return certificate


@transaction.atomic
def certificate_update(*, actor, certificate: Certificate, **fields) -> Certificate:
    """Correct or renew a certificate (renewal: a new expiry date)."""
    _require_roster_editor(actor, certificate.staff.agency)
    unknown = set(fields) - CERTIFICATE_FIELDS
    if unknown:
        raise ValidationError(_("不能修改字段：%(f)s。") % {"f": "、".join(sorted(unknown))})
    certificate = Certificate.objects.select_for_update().get(pk=certificate.pk)
    for name, value in fields.items():
        setattr(certificate, name, value)
    certificate_clean(certificate)
    _save_unique(certificate, "number", _duplicate_certificate(certificate))
    return certificate


# --- roster import and export --------------------------------------------------------------------

# The roster file's columns: (code name, header in the file). The import accepts either spelling of a
# header; the export writes the Chinese ones.
ROSTER_COLUMNS: list[tuple[str, str]] = [
    ("name", "姓名"),
    ("resident_id", "居民身份证号码"),
    ("phone", "手机号"),
    ("is_full_time", "专职"),
    ("employed_from", "入职日期"),
    ("employed_until", "离职日期"),
    ("level", "证书等级"),
    ("certificate_number", "证书编号"),
    ("issued_on", "发证日期"),
    ("expires_on", "证书有效期至"),
]
# Level names in the file are fixed Chinese strings (a file format, not translated UI text).
LEVEL_NAMES = {
    Certificate.Level.ASSISTANT: "助理社会工作师",
    Certificate.Level.INTERMEDIATE: "社会工作师",
    Certificate.Level.SENIOR: "高级社会工作师",
}
LEVEL_BY_NAME = {name: level for level, name in LEVEL_NAMES.items()} | {level.value: level for level in LEVEL_NAMES}
YES = {"是", "y", "yes", "true", "1"}
NO = {"否", "n", "no", "false", "0"}
MASKED_RE = re.compile(r"^[0-9]{4}\*{10}[0-9]{3}[0-9X]$")
MAX_ROSTER_BYTES = 5 * 1024 * 1024


@dataclass
class RosterRow:
    number: int
    staff: dict
    certificate: dict | None
    existing: StaffMember | None = None


@dataclass
class RosterImportResult:
    created: int = 0
    updated: int = 0
    certificates: int = 0
    rows: list[RosterRow] = field(default_factory=list)


def _parse_date(value: str) -> datetime.date:
    text = value.strip().split(" ")[0].split("T")[0]
    for fmt in ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"):
        try:
            return datetime.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(value)


def _roster_header(header_row: list[str]) -> dict[str, int]:
    header = [str(h or "").strip() for h in header_row]
    index: dict[str, int] = {}
    missing = []
    for code, title in ROSTER_COLUMNS:
        for spelling in (title, code):
            if spelling in header:
                index[code] = header.index(spelling)
                break
        else:
            missing.append(title)
    if missing:
        raise ValidationError(_("第1行（表头）缺少列：%(cols)s。") % {"cols": "、".join(missing)})
    return index


def roster_parse(*, agency: Agency, rows: list[list[str]]) -> list[RosterRow]:
    """Check every row of a roster table (header first). Raises one ValidationError listing every bad
    row by its number and reason; nothing is written here."""
    if not rows:
        raise ValidationError(_("文件为空。"))
    index = _roster_header(rows[0])
    existing = {
        s.resident_id: s
        for s in StaffMember.objects.filter(agency=agency).prefetch_related("certificates").order_by("pk")
    }
    by_mask: dict[str, list[StaffMember]] = {}
    for s in existing.values():
        by_mask.setdefault(mask_resident_id(s.resident_id), []).append(s)
    parsed: list[RosterRow] = []
    errors: list[str] = []
    seen_ids: dict[str, int] = {}
    seen_numbers: dict[str, int] = {}
    for number, raw in enumerate(rows[1:], start=2):
        cells = [("" if v is None else str(v)).strip() for v in raw]
        if not any(cells):
            continue
        cells += [""] * (max(index.values()) + 1 - len(cells))
        row = {code: cells[i] for code, i in index.items()}
        problems: list[str] = []
        if not row["name"]:
            problems.append(_("姓名不能为空"))
        rid = row["resident_id"].upper()
        person = None
        if not rid:
            problems.append(_("居民身份证号码不能为空"))
        elif MASKED_RE.match(rid):
            # A manager's own export carries masked IDs (D4); such a row may update the one person it matches.
            matches = by_mask.get(rid, [])
            if len(matches) == 1:
                person = matches[0]
                rid = person.resident_id
            else:
                problems.append(_("脱敏的身份证号码无法对应到本机构唯一的人员，请填写完整号码"))
                rid = ""
        else:
            try:
                validate_resident_id(rid)
            except ValidationError as exc:
                problems.append(exc.messages[0].rstrip("。"))
                rid = ""
            else:
                person = existing.get(rid)
        if rid:
            if rid in seen_ids:
                problems.append(_("身份证号码与第%(n)d行重复") % {"n": seen_ids[rid]})
            else:
                seen_ids[rid] = number
        full_time_text = row["is_full_time"].lower()
        if full_time_text in YES:
            is_full_time = True
        elif full_time_text in NO:
            is_full_time = False
        else:
            is_full_time = None
            problems.append(_("“专职”应填写“是”或“否”"))
        dates: dict[str, datetime.date | None] = {}
        for code, title in ROSTER_COLUMNS:
            if code not in ("employed_from", "employed_until", "issued_on", "expires_on"):
                continue
            if not row[code]:
                dates[code] = None
                continue
            try:
                dates[code] = _parse_date(row[code])
            except ValueError:
                dates[code] = None
                problems.append(_("“%(col)s”的日期“%(v)s”无法识别（应为 2020-01-31）") % {"col": title, "v": row[code]})
        if not row["employed_from"]:
            problems.append(_("入职日期不能为空"))
        if dates["employed_from"] and dates["employed_until"] and dates["employed_until"] < dates["employed_from"]:
            problems.append(_("离职日期早于入职日期"))
        certificate = None
        cert_cells = [row["level"], row["certificate_number"], row["issued_on"], row["expires_on"]]
        if any(cert_cells):
            level = LEVEL_BY_NAME.get(row["level"])
            if not row["level"]:
                problems.append(_("填写了证书信息但没有证书等级"))
            elif level is None:
                problems.append(
                    _("证书等级“%(v)s”无效（应为助理社会工作师、社会工作师或高级社会工作师）") % {"v": row["level"]}
                )
            for code, title in (
                ("certificate_number", "证书编号"),
                ("issued_on", "发证日期"),
                ("expires_on", "证书有效期至"),
            ):
                if not row[code]:
                    problems.append(_("有证书等级时“%(col)s”不能为空") % {"col": title})
            if dates["issued_on"] and dates["expires_on"] and dates["expires_on"] <= dates["issued_on"]:
                problems.append(_("证书有效期早于发证日期"))
            if dates["issued_on"] and dates["issued_on"] > timezone.localdate():
                problems.append(_("发证日期晚于今天"))
            cert_number = row["certificate_number"]
            if cert_number:
                key = cert_number.upper()
                if key in seen_numbers:
                    problems.append(_("证书编号与第%(n)d行重复") % {"n": seen_numbers[key]})
                else:
                    seen_numbers[key] = number
            certificate = {
                "level": level,
                "number": cert_number,
                "issued_on": dates["issued_on"],
                "expires_on": dates["expires_on"],
            }
        if problems:
            errors.append(_("第%(n)d行：%(p)s。") % {"n": number, "p": "；".join(problems)})
            continue
        parsed.append(
            RosterRow(
                number=number,
                existing=person,
                staff={
                    "name": row["name"],
                    "resident_id": rid,
                    "phone": row["phone"],
                    "is_full_time": is_full_time,
                    "employed_from": dates["employed_from"],
                    "employed_until": dates["employed_until"],
                },
                certificate=certificate,
            )
        )
    # A certificate number already registered to somebody else (in any agency) is refused.
    numbers = [r.certificate["number"] for r in parsed if r.certificate]
    if numbers:
        owners = {c.number.upper(): c for c in Certificate.objects.filter(number__in=numbers).select_related("staff")}
        for r in parsed:
            if not r.certificate:
                continue
            owner = owners.get(r.certificate["number"].upper())
            if owner and not (owner.staff.agency_id == agency.pk and owner.staff.resident_id == r.staff["resident_id"]):
                errors.append(
                    _("第%(n)d行：证书编号“%(c)s”已登记在其他人员名下。")
                    % {"n": r.number, "c": r.certificate["number"]}
                )
            elif owner:
                r.certificate["existing"] = owner
    if errors:
        errors.sort(key=lambda message: int(re.search(r"\d+", message).group()))
        raise ValidationError(errors)
    if not parsed:
        raise ValidationError(_("文件中没有人员。"))
    return parsed


@transaction.atomic
def roster_import(*, actor, agency: Agency, rows: list[list[str]]) -> RosterImportResult:
    """Import a roster table (xlsx or CSV read by core.tabular.read_table) into the agency: all or
    nothing, every bad row reported as "第N行：…" with its reasons.

    Columns (header row first; the Chinese header or the code name in brackets):
    姓名 (name); 居民身份证号码 (resident_id, GB 11643 check; a masked ID from the manager's own export is
    accepted when it matches exactly one person of the agency); 手机号 (phone); 专职 (is_full_time: 是/否);
    入职日期 (employed_from); 离职日期 (employed_until, may be empty); 证书等级 (level: 助理社会工作师,
    社会工作师 or 高级社会工作师; empty for no certificate); 证书编号 (certificate_number); 发证日期
    (issued_on); 证书有效期至 (expires_on). Dates as 2020-01-31 (also 2020/01/31, 2020.01.31, 20200131).

    A row whose resident ID is already on the agency's roster updates that person (name, phone, full-time
    flag, employment dates); a certificate is added, or updated when its number is already the person's.
    Nobody and no certificate is deleted by an import.
    """
    _require_roster_editor(actor, agency)
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    result = RosterImportResult(rows=roster_parse(agency=agency, rows=rows))
    for r in result.rows:
        try:
            if r.existing is None:
                staff = StaffMember(agency=agency, **r.staff)
                result.created += 1
            else:
                staff = r.existing
                for name, value in r.staff.items():
                    setattr(staff, name, value)
                result.updated += 1
            staff_member_clean(staff)
            staff.save()
            if r.certificate:
                cert = r.certificate.pop("existing", None) or Certificate(staff=staff)
                for name, value in r.certificate.items():
                    setattr(cert, name, value)
                certificate_clean(cert)
                cert.save()
                result.certificates += 1
        except ValidationError as exc:
            raise ValidationError(_("第%(n)d行：%(p)s") % {"n": r.number, "p": "；".join(exc.messages)}) from exc
    return result


def _latest_certificate(staff: StaffMember, on: datetime.date) -> Certificate | None:
    return valid_certificate(staff, on) or max(staff.certificates.all(), key=lambda c: c.expires_on, default=None)


def roster_rows(*, actor, agency: Agency, full_ids: bool = False) -> list[list[str]]:
    """The roster as a table in the import format (header first), one row per person with their valid (or
    else latest) certificate. An export is list output, so resident IDs are masked for everyone, the bureau
    included (D4); only the qualification snapshot, which the bureau reads unmasked, is written with full IDs.
    A masked export imports back: a masked ID matches the one person of the agency it can be."""
    today = timezone.localdate()
    staff = StaffMember.objects.filter(agency=agency).prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on"))
    )
    table = [[title for _code, title in ROSTER_COLUMNS]]
    for s in staff.order_by("name", "pk"):
        cert = _latest_certificate(s, today)
        table.append(
            [
                s.name,
                s.resident_id if full_ids else s.resident_id_masked,
                s.phone,
                "是" if s.is_full_time else "否",
                s.employed_from.isoformat(),
                s.employed_until.isoformat() if s.employed_until else "",
                LEVEL_NAMES.get(cert.level, "") if cert else "",
                cert.number if cert else "",
                cert.issued_on.isoformat() if cert else "",
                cert.expires_on.isoformat() if cert else "",
            ]
        )
    return table


def _xlsx(table: list[list[str]], title: str) -> bytes:
    # Resident ID, phone and certificate number as text: 18-digit IDs and leading zeros stay as typed.
    return xlsx_bytes(table, title=title, text_columns=("B", "C", "H"))


def roster_snapshot_xlsx(*, agency: Agency) -> bytes:
    """The roster with full resident IDs, as stored with a qualification application for the bureau."""
    return _xlsx(roster_rows(actor=None, agency=agency, full_ids=True), "人员名册")


def roster_export_xlsx(*, actor, agency: Agency) -> bytes:
    return _xlsx(roster_rows(actor=actor, agency=agency), "人员名册")


def roster_export_csv(*, actor, agency: Agency) -> bytes:
    return csv_bytes(roster_rows(actor=actor, agency=agency))


def roster_snapshot_for(*, user, application: QualificationApplication) -> bytes:
    """The roster snapshot stored with an application, as this user may read it: the bureau gets the file
    as stored (full IDs); everyone else gets it with the resident-ID column masked (D4)."""
    with application.roster_file.open("rb") as stored:
        content = stored.read()
    if can_see_full_resident_id(user):
        return content
    from openpyxl import load_workbook

    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    table = [["" if v is None else str(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    if table:
        column = table[0].index("居民身份证号码") if "居民身份证号码" in table[0] else 1
        for row in table[1:]:
            if len(row) > column:
                row[column] = mask_resident_id(row[column])
    return _xlsx(table, "人员名册")


# --- qualification (Q6) --------------------------------------------------------------------------

DEFAULT_VALIDITY_YEARS = 2


def _stored_document(upload, stem: str, agency: Agency) -> ContentFile:
    # PDF/JPG/PNG by content, at most 10 MB, and the name's extension must not say another type.
    content_type, _size, _sha256 = sniff_upload(upload, check_name=True)
    upload.seek(0)
    return ContentFile(upload.read(), name=f"{stem}-{agency.pk}.{EXTENSIONS[content_type]}")


@transaction.atomic
def qualification_apply(
    *, actor, agency: Agency, registration_certificate, audit_report, note: str = ""
) -> QualificationApplication:
    """An agency manager applies for qualification (Q6) with its registration certificate and audit report
    (PDF/JPG/PNG by content, at most 10 MB each); the current roster is stored with it as an xlsx
    snapshot. An agency has at most one application awaiting the bureau's decision."""
    if not can_apply_qualification(actor, agency):
        raise PermissionDenied(_("只有该机构的负责人可以申请承接资格。"))
    Agency.objects.select_for_update().filter(pk=agency.pk).first()
    if agency.qualifications.filter(status=QualificationApplication.Status.SUBMITTED).exists():
        raise ValidationError(_("已有一份待审核的资格申请，请等待民政局审核后再申请。"))
    errors: dict[str, list[str]] = {}
    files = {}
    for name, upload, stem in (
        ("registration_certificate", registration_certificate, "registration"),
        ("audit_report", audit_report, "audit"),
    ):
        if not upload:
            errors[name] = [_("请上传此文件。")]
            continue
        try:
            files[name] = _stored_document(upload, stem, agency)
        except ValidationError as exc:
            errors[name] = exc.messages
    if errors:
        raise ValidationError(errors)
    today = timezone.localdate()
    application = QualificationApplication(agency=agency, submitted_by=actor, note=(note or "").strip())
    application.registration_certificate.save(
        files["registration_certificate"].name, files["registration_certificate"], save=False
    )
    application.audit_report.save(files["audit_report"].name, files["audit_report"], save=False)
    snapshot = roster_snapshot_xlsx(agency=agency)
    application.roster_file.save(f"roster-{agency.pk}-{today:%Y%m%d}.xlsx", ContentFile(snapshot), save=False)
    application.full_clean()
    application.save()
    return application


def _locked_submitted(application: QualificationApplication) -> QualificationApplication:
    locked = QualificationApplication.objects.select_for_update().get(pk=application.pk)
    if locked.status != QualificationApplication.Status.SUBMITTED:
        raise ValidationError(
            _("该申请已于 %(when)s 审核（%(status)s），不能再次审核。")
            % {
                "when": timezone.localtime(locked.decided_at).strftime("%Y-%m-%d"),
                "status": locked.get_status_display(),
            }
        )
    return locked


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("请填写审核意见：通过或不通过都需要书面理由。")})
    return reason


def _years_later(day: datetime.date, years: int) -> datetime.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def default_valid_until(valid_from: datetime.date) -> datetime.date:
    """The end of a qualification approved from `valid_from` unless the bureau says otherwise (Q6: 2 years,
    ending the day before the anniversary)."""
    return _years_later(valid_from, DEFAULT_VALIDITY_YEARS) - datetime.timedelta(days=1)


@transaction.atomic
def qualification_approve(
    *,
    actor,
    application: QualificationApplication,
    reason: str,
    valid_from: datetime.date | None = None,
    valid_until: datetime.date | None = None,
) -> QualificationApplication:
    """The bureau approves an application with a written reason and a validity period (default: from
    today for 2 years, ending the day before the anniversary)."""
    if not can_decide_qualification(actor):
        raise PermissionDenied(_("只有民政局管理员可以审核资格申请。"))
    reason = _require_reason(reason)
    application = _locked_submitted(application)
    valid_from = valid_from or timezone.localdate()
    valid_until = valid_until or default_valid_until(valid_from)
    if valid_until <= valid_from:
        raise ValidationError({"valid_until": _("资格有效期截止日应晚于起始日。")})
    application.status = QualificationApplication.Status.APPROVED
    application.reason = reason
    application.valid_from = valid_from
    application.valid_until = valid_until
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    return application


@transaction.atomic
def qualification_reject(*, actor, application: QualificationApplication, reason: str) -> QualificationApplication:
    """The bureau rejects an application with a written reason the agency will read (Q6)."""
    if not can_decide_qualification(actor):
        raise PermissionDenied(_("只有民政局管理员可以审核资格申请。"))
    reason = _require_reason(reason)
    application = _locked_submitted(application)
    application.status = QualificationApplication.Status.REJECTED
    application.reason = reason
    application.valid_from = None
    application.valid_until = None
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.full_clean()
    application.save()
    return application

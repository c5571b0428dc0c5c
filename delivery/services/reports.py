"""Monthly service reports (S1–S3): the agency drafts one per package and month, with a line per plan item
and attachments, and submits it; the town officer confirms it or returns it with a reason. A confirmed
report is never changed: a correction is a new version that supersedes it once confirmed."""

from __future__ import annotations

import datetime
import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from core.limits import NOTE_MAX_LENGTH, TEXT_MAX_LENGTH
from core.tabular import new_workbook, workbook_bytes, xlsx_append
from core.uploads import EXTENSIONS, sniff_upload
from delivery.models import ReportAttachment, ReportLine, ServiceReport
from delivery.permissions import can_confirm_report, can_file_report
from procurement.models import ServicePackage

from .. import notify
from ..progress import approved_plan, counting_items, plan_year_for_month, unit_label
from ..workflow import S3, check_move, month_bounds, month_is_overdue, report_due_date, report_is_editable

Status = ServiceReport.Status

COUNT_FIELDS = ("sessions", "attendances", "households")
LINE_FIELDS = (*COUNT_FIELDS, "volunteer_hours", "narrative")
MAX_COUNT = 2_147_483_647
MAX_HOURS = Decimal("9999999.9")


def line_field_name(plan_item_id: int, field: str) -> str:
    """The form/API key of one report-line field; service errors use the same key."""
    return f"line-{plan_item_id}-{field}"


def field_label(field: str) -> str:
    return str(ReportLine._meta.get_field(field).verbose_name)


# --- S1: the calendar (the date arithmetic is in delivery.workflow) -----------------------------------


def report_overdue(package: ServicePackage, year: int, month: int, today: datetime.date | None = None) -> bool:
    """S1 for one month (one query): is the report for (year, month) missing or not submitted after its due date?"""
    today = today or timezone.localdate()
    versions = list(ServiceReport.objects.filter(package=package, year=year, month=month).only("status"))
    return month_is_overdue(versions, report_due_date(package, year, month), today)


# --- guards ---------------------------------------------------------------------------------------


def _require_filer(actor, package: ServicePackage) -> None:
    if not can_file_report(actor, package):
        raise PermissionDenied(_("只有该项目包承接机构的人员可以填报服务报告。"))


def _require_confirmer(actor, report: ServiceReport) -> None:
    if not can_confirm_report(actor, report):
        raise PermissionDenied(_("只有项目包所在街镇的街镇干部可以确认或退回服务报告。"))


def _require_editable(report: ServiceReport) -> None:
    """S3: only a report that can still be submitted (a draft or returned) is changed."""
    if report_is_editable(report.status):
        return
    if report.status == Status.CONFIRMED:
        raise ValidationError(
            _("报告已确认，不能再修改。如需更正，请发起更正：系统会生成新版本，原报告保留。"), code="immutable"
        )
    if report.status == Status.SUPERSEDED:
        raise ValidationError(_("该版本已被更正版本取代，不能再修改。"), code="immutable")
    if report.status == Status.SUBMITTED:
        raise ValidationError(_("报告已提交，正在等待街镇确认，不能修改。"), code="submitted")
    check_move(S3, report.status, Status.SUBMITTED)


def _lock(report: ServiceReport) -> ServiceReport:
    locked = ServiceReport.objects.select_for_update().get(pk=report.pk)
    locked.package = report.package
    return locked


# --- S2/S3: writes --------------------------------------------------------------------------------


@transaction.atomic
def report_create(*, actor, package: ServicePackage, year: int, month: int) -> ServiceReport:
    """Open the draft report of a month (S1) with a line for every plan item that counts in the approved plan
    for that plan year (S2). The month must lie within the package period and not in the future; a month has
    one report — if it exists already, the refusal says which version to open. `year` and `month` are the
    integers the form or serializer parsed."""
    _require_filer(actor, package)
    if not all(isinstance(v, int) and not isinstance(v, bool) for v in (year, month)):
        raise ValidationError({"month": _("请选择有效的年份和月份。")})
    if not 1 <= month <= 12 or not 2000 <= year <= 2100:
        raise ValidationError({"month": _("请选择有效的年份和月份。")})
    first, last = month_bounds(year, month)
    if last < package.starts_on or first > package.ends_on:
        raise ValidationError(
            {
                "month": _("%(y)d年%(m)d月不在项目包服务期（%(start)s 至 %(end)s）内。")
                % {"y": year, "m": month, "start": package.starts_on, "end": package.ends_on}
            }
        )
    today = timezone.localdate()
    if first > today:
        raise ValidationError({"month": _("%(y)d年%(m)d月尚未开始，不能提前填报。") % {"y": year, "m": month}})
    # Serialise report creation per package so two workers cannot open the same month at once.
    ServicePackage.objects.select_for_update().filter(pk=package.pk).exists()
    existing = (
        ServiceReport.objects.filter(package=package, year=year, month=month)
        .exclude(status=Status.SUPERSEDED)
        .order_by("-version")
        .first()
    )
    if existing is not None:
        raise ValidationError(
            _("%(y)d年%(m)d月的报告已经存在（第 %(v)d 版，%(status)s），请打开该报告继续办理。")
            % {"y": year, "m": month, "v": existing.version, "status": existing.get_status_display()},
            code="exists",
        )
    if approved_plan(package) is None:
        raise ValidationError(_("该项目包的服务计划尚未获批，暂不能填报月报。"), code="no_plan")
    plan_year = plan_year_for_month(package, year, month)
    items = counting_items(package, plan_year)
    if not items:
        raise ValidationError(
            _("已批准的服务计划中没有第 %(n)d 服务年度的计入条目，暂不能填报。") % {"n": plan_year}, code="no_items"
        )
    report = ServiceReport(package=package, year=year, month=month, version=1, created_by=actor)
    report.full_clean()
    report.save()
    ReportLine.objects.bulk_create([ReportLine(report=report, plan_item=item) for item in items])
    return report


def _parse_count(raw, label: str, errors: dict, key: str) -> int | None:
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return 0
    if isinstance(raw, bool | float | list | dict):  # true is not 1 session, nor 2.5 sessions
        errors[key] = [_("「%(item)s」的%(field)s请填写整数。") % label_params(label, key)]
        return None
    try:
        value = int(str(raw).strip()) if not isinstance(raw, int) else raw
    except (TypeError, ValueError):
        errors[key] = [_("「%(item)s」的%(field)s请填写整数。") % label_params(label, key)]
        return None
    if value < 0:
        errors[key] = [_("「%(item)s」的%(field)s不能为负数。") % label_params(label, key)]
        return None
    if value > MAX_COUNT:
        errors[key] = [_("「%(item)s」的%(field)s数值过大。") % label_params(label, key)]
        return None
    return value


def label_params(item_label: str, key: str) -> dict[str, str]:
    return {"item": item_label, "field": field_label(key.rsplit("-", 1)[1])}


def _parse_hours(raw, label: str, errors: dict, key: str) -> Decimal | None:
    if raw is None or (isinstance(raw, str) and raw.strip() == ""):
        return Decimal("0")
    if isinstance(raw, bool | list | dict):
        errors[key] = [_("「%(item)s」的%(field)s请填写数字。") % label_params(label, key)]
        return None
    try:
        value = Decimal(str(raw).strip())
    except (InvalidOperation, TypeError, ValueError):
        errors[key] = [_("「%(item)s」的%(field)s请填写数字。") % label_params(label, key)]
        return None
    if not value.is_finite():
        errors[key] = [_("「%(item)s」的%(field)s请填写数字。") % label_params(label, key)]
        return None
    if value < 0:
        errors[key] = [_("「%(item)s」的%(field)s不能为负数。") % label_params(label, key)]
        return None
    if value.as_tuple().exponent < -1:
        errors[key] = [_("「%(item)s」的%(field)s最多保留一位小数。") % label_params(label, key)]
        return None
    if value > MAX_HOURS:
        errors[key] = [_("「%(item)s」的%(field)s数值过大。") % label_params(label, key)]
        return None
    return value


@transaction.atomic
def report_save_draft(*, actor, report: ServiceReport, summary: str | None = None, lines: dict) -> ServiceReport:
    """Save the summary and the lines of a draft or returned report. `lines` maps plan item id → the fields
    to change (sessions, attendances, households, volunteer_hours, narrative); a field left out keeps its value
    and an empty one counts as 0. Any bad value (negative, not a number) is refused with a field error keyed
    `line-<plan item id>-<field>` and nothing is saved."""
    _require_filer(actor, report.package)
    locked = _lock(report)
    _require_editable(locked)
    existing = {line.plan_item_id: line for line in locked.lines.select_related("plan_item__item")}
    errors: dict[str, list[str]] = {}
    changed: list[ReportLine] = []
    for plan_item_id, values in (lines or {}).items():
        line = existing.get(plan_item_id) if isinstance(plan_item_id, int) else None
        if line is None:
            errors.setdefault("lines", []).append(_("计划条目 %(id)s 不在本报告中。") % {"id": plan_item_id})
            continue
        label = line.plan_item.display_name
        for field in COUNT_FIELDS:
            if field in values:
                key = line_field_name(line.plan_item_id, field)
                value = _parse_count(values[field], label, errors, key)
                if value is not None:
                    setattr(line, field, value)
        if "volunteer_hours" in values:
            key = line_field_name(line.plan_item_id, "volunteer_hours")
            hours = _parse_hours(values["volunteer_hours"], label, errors, key)
            if hours is not None:
                line.volunteer_hours = hours
        if "narrative" in values:
            narrative = values["narrative"]
            key = line_field_name(line.plan_item_id, "narrative")
            if narrative is not None and not isinstance(narrative, str):
                errors[key] = [_("「%(item)s」的%(field)s请填写文字。") % label_params(label, key)]
            elif len(narrative or "") > NOTE_MAX_LENGTH:
                errors[key] = [
                    _("「%(item)s」的%(field)s不能超过 %(n)d 个字。")
                    % {**label_params(label, key), "n": NOTE_MAX_LENGTH}
                ]
            else:
                line.narrative = (narrative or "").strip()
        changed.append(line)
    if summary is not None and len(summary) > TEXT_MAX_LENGTH:
        errors["summary"] = [_("本月工作小结不能超过 %(n)d 个字。") % {"n": TEXT_MAX_LENGTH}]
    if errors:
        raise ValidationError(errors)
    if changed:
        ReportLine.objects.bulk_update(changed, [*COUNT_FIELDS, "volunteer_hours", "narrative"])
    if summary is not None:
        locked.summary = summary.strip()
    locked.save(update_fields=["summary", "updated_at"])
    return locked


@transaction.atomic
def report_attach(*, actor, report: ServiceReport, file, line: ReportLine | None = None) -> ReportAttachment:
    """Attach a photo or sign-in sheet to a draft or returned report (S2): JPG, PNG or PDF by content, at most
    10 MB; stored privately under a name derived from its SHA-256, which is kept."""
    _require_filer(actor, report.package)
    locked = _lock(report)
    _require_editable(locked)
    if line is not None and line.report_id != locked.pk:
        raise ValidationError({"line": _("所选条目不属于本报告。")})
    try:
        content_type, size, sha256 = sniff_upload(file)
    except ValidationError as exc:
        raise ValidationError({"file": exc.messages}) from exc
    original_name = os.path.basename(getattr(file, "name", "") or "") or f"{sha256[:16]}.{EXTENSIONS[content_type]}"
    attachment = ReportAttachment(
        report=locked,
        line=line,
        original_name=original_name[-200:],
        content_type=content_type,
        size=size,
        sha256=sha256,
        uploaded_by=actor,
    )
    attachment.file.save(f"{sha256[:32]}.{EXTENSIONS[content_type]}", file, save=False)
    attachment.full_clean()
    attachment.save()
    return attachment


@transaction.atomic
def report_attachment_delete(*, actor, attachment: ReportAttachment) -> None:
    """Remove an attachment from a draft or returned report. The stored file stays while another version
    (e.g. the confirmed report a correction was copied from) still refers to it."""
    _require_filer(actor, attachment.report.package)
    locked = _lock(attachment.report)
    _require_editable(locked)
    name = attachment.file.name
    storage = attachment.file.storage
    attachment.delete()
    if not ReportAttachment.objects.filter(file=name).exists():
        transaction.on_commit(lambda: storage.delete(name))


@transaction.atomic
def report_submit(*, actor, report: ServiceReport) -> ServiceReport:
    """Submit a draft or returned report to the town (S3); the month must have ended and the summary be filled."""
    _require_filer(actor, report.package)
    locked = _lock(report)
    _require_editable(locked)
    _first, last = month_bounds(locked.year, locked.month)
    if timezone.localdate() < last:
        raise ValidationError(
            _("%(y)d年%(m)d月尚未结束，月末（%(last)s）起才能提交月报；可以先保存草稿。")
            % {"y": locked.year, "m": locked.month, "last": last},
            code="month_not_over",
        )
    if not locked.summary.strip():
        raise ValidationError({"summary": _("提交前请填写本月工作小结。")})
    check_move(S3, locked.status, Status.SUBMITTED)
    locked.status = Status.SUBMITTED
    locked.submitted_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "submitted_at", "updated_at"])
    notify.report_submitted(locked)
    return locked


@transaction.atomic
def report_confirm(*, actor, report: ServiceReport) -> ServiceReport:
    """The town officer confirms a submitted report (S3); from then on it is immutable. Confirming a correction
    marks the version it corrects as superseded (kept, readable, no longer counted)."""
    _require_confirmer(actor, report)
    locked = _lock(report)
    if not S3.allows(locked.status, Status.CONFIRMED):
        raise ValidationError(
            _("只有已提交、待确认的报告才能确认（当前状态：%(status)s）。") % {"status": locked.get_status_display()}
        )
    if locked.supersedes_id:
        # Supersede the old version first: a month never holds two confirmed versions, not even mid-transaction.
        old = ServiceReport.objects.select_for_update().get(pk=locked.supersedes_id)
        check_move(S3, old.status, Status.SUPERSEDED)
        old.status = Status.SUPERSEDED
        old.save(update_fields=["status", "updated_at"])
    locked.status = Status.CONFIRMED
    locked.confirmed_by = actor
    locked.confirmed_at = timezone.now()
    locked.full_clean()
    locked.save(update_fields=["status", "confirmed_by", "confirmed_at", "updated_at"])
    return locked


@transaction.atomic
def report_return(*, actor, report: ServiceReport, reason: str) -> ServiceReport:
    """The town officer returns a submitted report with a reason the agency can act on (S3)."""
    _require_confirmer(actor, report)
    locked = _lock(report)
    if not S3.allows(locked.status, Status.RETURNED):
        raise ValidationError(
            _("只有已提交、待确认的报告才能退回（当前状态：%(status)s）。") % {"status": locked.get_status_display()}
        )
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("退回时请填写原因，说明机构需要修改什么。")})
    locked.status = Status.RETURNED
    locked.returned_reason = reason
    locked.save(update_fields=["status", "returned_reason", "updated_at"])
    notify.report_returned(locked)
    return locked


@transaction.atomic
def report_correct(*, actor, report: ServiceReport) -> ServiceReport:
    """Start a correction of a confirmed report (S3): a new draft version that supersedes it, with its summary,
    lines and attachments copied. The confirmed version stays in force until the correction is confirmed."""
    _require_filer(actor, report.package)
    locked = _lock(report)
    if not S3.allows(locked.status, Status.SUPERSEDED):
        # A correction is the version that will supersede this one: only a confirmed report can be superseded.
        raise ValidationError(_("只有已确认的报告需要通过更正来修改；草稿或被退回的报告可以直接编辑。"))
    pending = (
        ServiceReport.objects.filter(package_id=locked.package_id, year=locked.year, month=locked.month)
        .exclude(status__in=[Status.CONFIRMED, Status.SUPERSEDED])
        .first()
    )
    if pending is not None:
        raise ValidationError(
            _("该月已有一份更正（第 %(v)d 版，%(status)s）正在办理，请先完成它。")
            % {"v": pending.version, "status": pending.get_status_display()},
            code="exists",
        )
    latest = ServiceReport.objects.filter(package_id=locked.package_id, year=locked.year, month=locked.month).aggregate(
        v=Max("version")
    )["v"]
    correction = ServiceReport(
        package=locked.package,
        year=locked.year,
        month=locked.month,
        version=latest + 1,
        supersedes=locked,
        summary=locked.summary,
        created_by=actor,
    )
    correction.full_clean()
    correction.save()
    old_lines = list(locked.lines.all())
    new_lines = ReportLine.objects.bulk_create(
        [
            ReportLine(
                report=correction,
                plan_item_id=line.plan_item_id,
                sessions=line.sessions,
                attendances=line.attendances,
                households=line.households,
                volunteer_hours=line.volunteer_hours,
                narrative=line.narrative,
            )
            for line in old_lines
        ]
    )
    line_map = {old.pk: new for old, new in zip(old_lines, new_lines, strict=True)}
    ReportAttachment.objects.bulk_create(
        [
            ReportAttachment(
                report=correction,
                line=line_map.get(a.line_id),
                file=a.file.name,
                original_name=a.original_name,
                content_type=a.content_type,
                size=a.size,
                sha256=a.sha256,
                uploaded_by_id=a.uploaded_by_id,
            )
            for a in locked.attachments.all()
        ]
    )
    return correction


# --- export ---------------------------------------------------------------------------------------


def _stamp(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def report_export_xlsx(*, package: ServicePackage, reports: list[ServiceReport]) -> bytes:
    """Reports of a package as xlsx for the town, the district, the bureau and the agency: sheet "月报" has one
    row per report version, sheet "明细" one row per line. Expects `reports` with their lines prefetched
    (plan item, catalogue item, community)."""
    workbook = new_workbook(_("月报"))
    summary = workbook.active
    xlsx_append(
        summary,
        [
            _("街道（镇）"),
            _("社工机构"),
            _("年"),
            _("月"),
            _("版本"),
            _("状态"),
            _("截止日期"),
            _("提交时间"),
            _("确认时间"),
            _("本月工作小结"),
            _("退回原因"),
        ],
    )
    details = workbook.create_sheet(_("明细"))
    xlsx_append(
        details,
        [
            _("年"),
            _("月"),
            _("版本"),
            _("状态"),
            _("服务年度"),
            _("子项代码"),
            _("计划条目"),
            _("社区（村）"),
            _("单位"),
            _("年度目标"),
            field_label("sessions"),
            field_label("attendances"),
            field_label("households"),
            field_label("volunteer_hours"),
            field_label("narrative"),
        ],
    )
    town, agency = package.town.name, package.agency.organisation.name
    for report in reports:
        status = str(report.get_status_display())
        xlsx_append(
            summary,
            [
                town,
                agency,
                report.year,
                report.month,
                report.version,
                status,
                report_due_date(package, report.year, report.month).isoformat(),
                _stamp(report.submitted_at),
                _stamp(report.confirmed_at),
                report.summary,
                report.returned_reason,
            ],
        )
        for line in report.lines.all():
            item = line.plan_item
            xlsx_append(
                details,
                [
                    report.year,
                    report.month,
                    report.version,
                    status,
                    item.year,
                    item.item.code if item.item_id else "",
                    item.display_name,
                    item.community.name if item.community_id else _("街镇层面"),
                    unit_label(item),
                    item.annual_target,
                    line.sessions,
                    line.attendances,
                    line.households,
                    line.volunteer_hours,
                    line.narrative,
                ],
            )
    return workbook_bytes(workbook)

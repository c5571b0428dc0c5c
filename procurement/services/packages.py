"""Service packages: the checks every new package passes (Q1–Q4, P1, P2), the package an award creates, and
packages bought before the platform that the bureau enters directly."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import CatalogueEdition
from catalog.services import edition_mark_in_use
from directory.models import Town
from directory.validators import plausible_date_problem
from procurement.models import Agency, Contract, Round, ServicePackage, StaffAssignment, StaffMember, Tender
from procurement.permissions import can_create_package, is_package_district_officer

from ..rules import (
    Thresholds,
    p1_overlapping_packages,
    p2_amount_problems,
    qualification_check,
    staff_with_certificates,
    staffing_check,
)

DEFAULT_STAFF_COST_SHARE = Decimal("60")


def add_years(day: datetime.date, years: int) -> datetime.date:
    """The same calendar day `years` later (29 February becomes 28 February in a common year)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def period_end(starts_on: datetime.date, years: int) -> datetime.date:
    """Last day of a service period: 2025-01-01 for 2 years ends on 2026-12-31."""
    return add_years(starts_on, years) - datetime.timedelta(days=1)


def _money(value, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    try:
        amount = Decimal(str(value))
    except (InvalidOperation, TypeError, ValueError):
        errors.setdefault(field, []).append(_("请输入有效的金额。"))
        return None
    if not amount.is_finite() or amount.as_tuple().exponent < -2:
        errors.setdefault(field, []).append(_("金额最多保留两位小数。"))
        return None
    if amount <= 0:
        errors.setdefault(field, []).append(_("金额必须大于0。"))
        return None
    return amount


@dataclass
class PackageTerms:
    """What a new package would be; `package_problems` checks it, `_package_create` writes it."""

    town: Town
    agency: Agency
    round: Round
    edition: CatalogueEdition
    title: str
    starts_on: datetime.date
    ends_on: datetime.date
    annual_amount: Decimal
    annual_ceiling: Decimal
    staff_cost_share: Decimal
    staff: list[StaffMember]
    thresholds: Thresholds
    tender: Tender | None = None


def package_problems(terms: PackageTerms) -> dict[str, list[str]]:
    """Q1 for the agency and Q2–Q4 for the team on the start date (through rules.py), P1 no other active
    package of the town overlaps the period, P2 the annual amount is within the ceiling."""
    errors: dict[str, list[str]] = {}
    for field in ("starts_on", "ends_on"):
        problem = plausible_date_problem(getattr(terms, field))
        if problem:
            errors[field] = [problem]
    if errors:
        return errors  # nothing below can reason about such a period
    if terms.ends_on <= terms.starts_on:
        errors.setdefault("ends_on", []).append(_("结束日期必须晚于开始日期。"))
    amount_problems = p2_amount_problems(terms.annual_amount, terms.annual_ceiling, tender=terms.tender)
    if amount_problems:
        errors.setdefault("annual_amount", []).extend(amount_problems)
    if not Decimal("0") <= terms.staff_cost_share <= Decimal("100"):
        errors.setdefault("staff_cost_share", []).append(_("人员经费占比应在0到100之间。"))
    qualification = qualification_check(terms.agency, on=terms.starts_on)
    if not qualification.ok:
        errors.setdefault("agency", []).extend(
            _("%(agency)s 在 %(date)s 不具备承接资格：%(problem)s")
            % {"agency": terms.agency, "date": terms.starts_on.isoformat(), "problem": p}
            for p in qualification.problems
        )
    staffing = staffing_check(terms.staff, on=terms.starts_on, thresholds=terms.thresholds)
    if not staffing.ok:
        errors.setdefault("staff_ids", []).extend(staffing.problems)
    if terms.ends_on > terms.starts_on:
        overlapping = p1_overlapping_packages(terms.town, terms.starts_on, terms.ends_on).first()
        if overlapping is not None:
            errors.setdefault("town", []).append(
                _("%(town)s 已有执行中的项目包“%(title)s”（%(agency)s，%(start)s 至 %(end)s），与本期重叠。")
                % {
                    "town": terms.town.name,
                    "title": overlapping.title,
                    "agency": overlapping.agency,
                    "start": overlapping.starts_on.isoformat(),
                    "end": overlapping.ends_on.isoformat(),
                }
            )
    return errors


def _lock_town_and_agency(terms: PackageTerms) -> None:
    # P1 and Q4 are checked by reading other packages, so two packages of one town (or two using one agency's
    # staff) are created one after the other.
    Town.objects.select_for_update().filter(pk=terms.town.pk).first()
    Agency.objects.select_for_update().filter(pk=terms.agency.pk).first()


def _package_create(
    *, actor, terms: PackageTerms, tender: Tender | None = None, contract: Contract | None = None
) -> ServicePackage:
    """Write a checked package with its staff assignments (full-time per each member's flag) and freeze its
    catalogue edition (C4). Callers lock and check first."""
    package = ServicePackage(
        town=terms.town,
        agency=terms.agency,
        round=terms.round,
        edition=terms.edition,
        tender=tender,
        contract=contract,
        title=terms.title,
        starts_on=terms.starts_on,
        ends_on=terms.ends_on,
        annual_amount=terms.annual_amount,
        annual_ceiling=terms.annual_ceiling,
        staff_cost_share=terms.staff_cost_share,
        created_by=actor,
    )
    package.full_clean()
    package.save()
    StaffAssignment.objects.bulk_create(
        StaffAssignment(
            package=package,
            staff=member,
            is_full_time=member.is_full_time,
            starts_on=terms.starts_on,
            ends_on=terms.ends_on,
        )
        for member in terms.staff
    )
    edition_mark_in_use(edition=terms.edition)
    return package


@transaction.atomic
def package_create_direct(
    *,
    actor,
    town: Town,
    agency: Agency,
    round: Round,
    title: str,
    starts_on: datetime.date,
    ends_on: datetime.date,
    annual_amount,
    annual_ceiling,
    staff_cost_share=DEFAULT_STAFF_COST_SHARE,
    staff_ids: list[int],
) -> ServicePackage:
    """Enter a package bought before the platform (no tender): the same checks as an award — Q1 for the
    agency on the start date, Q2–Q4 for the staff with the round's thresholds, P1 and P2."""
    if not can_create_package(actor):
        raise PermissionDenied(_("只有民政局管理员可以录入项目包。"))
    errors: dict[str, list[str]] = {}
    if not (title or "").strip():
        errors["title"] = [_("请填写项目名称。")]
    amount = _money(annual_amount, "annual_amount", errors)
    ceiling = _money(annual_ceiling, "annual_ceiling", errors)
    try:
        share = Decimal(str(staff_cost_share))
    except (InvalidOperation, TypeError, ValueError):
        errors["staff_cost_share"] = [_("请输入有效的百分比。")]
        share = None
    ids = sorted({int(i) for i in staff_ids or []})
    staff = list(staff_with_certificates(ids).filter(agency=agency).order_by("name"))
    if not ids:
        errors.setdefault("staff_ids", []).append(_("请选择项目人员。"))
    elif len(staff) != len(ids):
        errors.setdefault("staff_ids", []).append(_("所选人员中有不属于 %(agency)s 的人员。") % {"agency": agency})
    if errors:
        raise ValidationError(errors)
    terms = PackageTerms(
        town=town,
        agency=agency,
        round=round,
        edition=round.edition,
        title=title.strip(),
        starts_on=starts_on,
        ends_on=ends_on,
        annual_amount=amount,
        annual_ceiling=ceiling,
        staff_cost_share=share,
        staff=staff,
        thresholds=Thresholds.of(round),
    )
    _lock_town_and_agency(terms)
    problems = package_problems(terms)
    if problems:
        raise ValidationError(problems)
    return _package_create(actor=actor, terms=terms)


MAX_COSIGN_COMMENT = 2000


@transaction.atomic
def package_cosign(*, actor, package: ServicePackage, comment: str = "") -> ServicePackage:
    """会签: the district's officer co-signs an active package of one of its towns, once; who, when and the
    comment are kept (and the package's history records the change)."""
    package = ServicePackage.objects.select_for_update().select_related("town").get(pk=package.pk)
    if not is_package_district_officer(actor, package):
        raise PermissionDenied(_("只有项目包所在区的区民政局干部可以会签。"))
    if package.cosigned_at is not None:
        raise ValidationError(_("该项目包已于 %(at)s 会签，不能重复会签。") % {"at": _local(package.cosigned_at)})
    if package.status != ServicePackage.Status.ACTIVE:
        raise ValidationError(_("只有执行中的项目包可以会签。"))
    comment = (comment or "").strip()
    if len(comment) > MAX_COSIGN_COMMENT:
        raise ValidationError({"comment": [_("会签意见不能超过 %(n)d 字。") % {"n": MAX_COSIGN_COMMENT}]})
    package.cosigned_by = actor
    package.cosigned_at = timezone.now()
    package.cosign_comment = comment
    package.save(update_fields=["cosigned_by", "cosigned_at", "cosign_comment"])
    return package


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M")

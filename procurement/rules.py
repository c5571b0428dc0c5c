"""The qualification and staffing rules (Q1–Q5) as plain functions, used by every caller: the bid check,
the package staffing page, award, direct package creation and the compliance checks. They read, never write."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from procurement.models import (
    Agency,
    Certificate,
    QualificationApplication,
    ServicePackage,
    StaffAssignment,
    StaffMember,
)

EXPIRY_WARNING_DAYS = 60  # Q5


@dataclass(frozen=True)
class Thresholds:
    """The round's Q2/Q3 thresholds, as carried by a round, a tender or a package."""

    min_full_time_staff: int
    min_certified_share: Decimal  # percent, e.g. Decimal("50")

    @classmethod
    def of(cls, obj) -> Thresholds:
        return cls(obj.min_full_time_staff, Decimal(obj.min_certified_share))


@dataclass
class StaffingResult:
    ok: bool
    full_time: int
    certified: int
    share: Decimal  # percent of full-time staff holding a valid certificate
    thresholds: Thresholds
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    # staff ids already full-time on another active package (Q4)
    double_booked: list[int] = field(default_factory=list)

    @property
    def meets_q2(self) -> bool:
        return self.full_time >= self.thresholds.min_full_time_staff

    @property
    def meets_q3(self) -> bool:
        return self.share >= self.thresholds.min_certified_share

    @property
    def meets_q4(self) -> bool:
        return not self.double_booked


def q5_expiring(expires_on: datetime.date, on: datetime.date, warning_days: int = EXPIRY_WARNING_DAYS) -> bool:
    """Q5: a certificate or qualification still valid on the date that expires within `warning_days`."""
    return 0 <= (expires_on - on).days <= warning_days


def is_employed(staff: StaffMember, on: datetime.date) -> bool:
    return staff.employed_from <= on and (staff.employed_until is None or staff.employed_until >= on)


def valid_certificate(staff: StaffMember, on: datetime.date) -> Certificate | None:
    """The staff member's certificate valid on the date, if any (an expired one no longer counts, Q5).
    Reads `staff.certificates.all()`, so prefetch it for lists."""
    valid = [c for c in staff.certificates.all() if c.issued_on <= on <= c.expires_on]
    return max(valid, key=lambda c: c.expires_on, default=None)


def staff_with_certificates(ids: Iterable[int]):
    return StaffMember.objects.filter(id__in=list(ids)).prefetch_related(
        Prefetch("certificates", queryset=Certificate.objects.order_by("-expires_on"))
    )


def q4_full_time_elsewhere_q(on: datetime.date) -> Q:
    """Q4 as a filter on StaffAssignment: full-time assignments on a package active and running on the date.
    `staffing_check` queries with it; a city-wide caller (compliance K1) fetches them once for every package."""
    return (
        Q(is_full_time=True, package__status="active", starts_on__lte=on)
        & (Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        & Q(package__starts_on__lte=on, package__ends_on__gte=on)
    )


def staffing_check(
    staff: Iterable[StaffMember],
    *,
    on: datetime.date,
    thresholds: Thresholds,
    exclude_package_id: int | None = None,
    full_time_assignments: Iterable[StaffAssignment] | None = None,
) -> StaffingResult:
    """Q2–Q4 for a proposed or fielded team on a date.

    Q2: at least `min_full_time_staff` full-time members employed on the date.
    Q3: at least `min_certified_share` percent of them hold a certificate valid on the date.
    Q4: none of them is full-time on another active package on the date (`exclude_package_id` is the
    package being checked, so its own assignments don't count against it).
    Q5: certificates expiring within 60 days are warnings; expired ones don't count.

    `full_time_assignments`: the Q4 rows (`q4_full_time_elsewhere_q(on)`, with `staff` and `package` loaded)
    already fetched by a caller that checks many packages at once; without it they are queried here.
    Certificates are read through `staff.certificates.all()`: prefetch them.
    """
    members = list(staff)
    full_time = [s for s in members if s.is_full_time and is_employed(s, on)]
    certified = []
    warnings: list[str] = []
    for s in full_time:
        cert = valid_certificate(s, on)
        if cert is None:
            continue
        certified.append(s)
        if q5_expiring(cert.expires_on, on):
            warnings.append(
                _("%(name)s 的社工证书将于 %(date)s 到期。") % {"name": s.name, "date": cert.expires_on.isoformat()}
            )
    share = (
        (Decimal(len(certified)) * 100 / Decimal(len(full_time))).quantize(Decimal("0.01"), ROUND_HALF_UP)
        if full_time
        else Decimal("0")
    )
    problems: list[str] = []
    not_employed = [s.name for s in members if s.is_full_time and not is_employed(s, on)]
    if not_employed:
        problems.append(
            _("以下人员在 %(date)s 不在职：%(names)s。") % {"date": on.isoformat(), "names": "、".join(not_employed)}
        )
    if len(full_time) < thresholds.min_full_time_staff:  # Q2 (StaffingResult.meets_q2)
        problems.append(
            _("专职人员 %(n)d 人，少于本轮要求的 %(min)d 人（Q2）。")
            % {"n": len(full_time), "min": thresholds.min_full_time_staff}
        )
    if share < thresholds.min_certified_share:
        problems.append(
            _("持证社工 %(c)d 人，占专职人员 %(share)s%%，低于本轮要求的 %(min)s%%（Q3）。")
            % {"c": len(certified), "share": share, "min": f"{thresholds.min_certified_share.normalize():f}"}
        )
    full_time_ids = {s.id for s in full_time}
    if full_time_assignments is None:
        full_time_assignments = StaffAssignment.objects.filter(
            q4_full_time_elsewhere_q(on), staff_id__in=full_time_ids
        ).select_related("staff", "package")
    double = [
        a
        for a in full_time_assignments
        if a.staff_id in full_time_ids and (exclude_package_id is None or a.package_id != exclude_package_id)
    ]
    if double:
        problems.append(
            _("以下人员已在其他项目包中担任专职（Q4）：%(items)s。")
            % {"items": "、".join(f"{a.staff.name}（{a.package.title}）" for a in double)}
        )
    return StaffingResult(
        ok=not problems,
        full_time=len(full_time),
        certified=len(certified),
        share=share,
        thresholds=thresholds,
        problems=problems,
        warnings=warnings,
        double_booked=sorted({a.staff_id for a in double}),
    )


@dataclass
class QualificationResult:
    ok: bool
    problems: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    approved: QualificationApplication | None = None


COUNTY_OR_ABOVE = {
    Agency.AuthorityLevel.COUNTY,
    Agency.AuthorityLevel.CITY,
    Agency.AuthorityLevel.PROVINCE,
    Agency.AuthorityLevel.NATIONAL,
}


def current_qualification(agency: Agency, on: datetime.date) -> QualificationApplication | None:
    """The approved qualification valid on the date, if any."""
    return (
        agency.qualifications.filter(
            status=QualificationApplication.Status.APPROVED, valid_from__lte=on, valid_until__gte=on
        )
        .order_by("-valid_until")
        .first()
    )


def q1_qualified_q(on: datetime.date) -> Q:
    """Q1 as a filter on Agency, for counts over many agencies (the city statistics): the same conditions as
    `qualification_check` — active, a professional social-work agency, registered at county level or above,
    registration and an approved qualification both valid on the date. Filtered counts must count distinct
    agencies (the qualification condition joins the applications)."""
    return Q(
        organisation__is_active=True,
        is_social_work_agency=True,
        registration_authority_level__in=COUNTY_OR_ABOVE,
        registration_valid_until__gte=on,
        qualifications__status=QualificationApplication.Status.APPROVED,
        qualifications__valid_from__lte=on,
        qualifications__valid_until__gte=on,
    )


_FETCH = object()


def qualification_check(
    agency: Agency, *, on: datetime.date, approved=_FETCH, warning_days: int = EXPIRY_WARNING_DAYS
) -> QualificationResult:
    """Q1 (with Q5's warnings): may this agency bid for or hold a package on the date?

    `approved`: the agency's approved qualification valid on the date (or None), when the caller already
    fetched it for many agencies (compliance K2); by default `current_qualification` reads it."""
    problems: list[str] = []
    warnings: list[str] = []
    if not agency.organisation.is_active:
        problems.append(_("机构已停用。"))
    if not agency.is_social_work_agency:
        problems.append(_("不是专业社会工作服务机构（Q1）。"))
    if agency.registration_authority_level not in COUNTY_OR_ABOVE:
        problems.append(_("登记机关须为县级以上民政部门（Q1）。"))
    if agency.registration_valid_until < on:
        problems.append(_("登记证书已于 %(date)s 过期（Q1）。") % {"date": agency.registration_valid_until.isoformat()})
    elif q5_expiring(agency.registration_valid_until, on, warning_days):
        warnings.append(_("登记证书将于 %(date)s 到期（Q5）。") % {"date": agency.registration_valid_until.isoformat()})
    if approved is _FETCH:
        approved = current_qualification(agency, on)
    if approved is None:
        problems.append(_("没有在有效期内的承接资格（Q1）。"))
    elif q5_expiring(approved.valid_until, on, warning_days):
        warnings.append(_("承接资格将于 %(date)s 到期（Q5）。") % {"date": approved.valid_until.isoformat()})
    return QualificationResult(ok=not problems, problems=problems, warnings=warnings, approved=approved)


# --- packages (P1, P2) ----------------------------------------------------------------------------


def p1_overlapping_packages(town, starts_on: datetime.date, ends_on: datetime.date, exclude_id: int | None = None):
    """P1: the town's active packages whose period (both ends included) overlaps the given one. A new or
    changed active package is allowed only when this is empty. On PostgreSQL the exclusion constraint
    `package_one_active_per_town` enforces the same rule in the database."""
    qs = ServicePackage.objects.filter(
        town=town, status=ServicePackage.Status.ACTIVE, starts_on__lte=ends_on, ends_on__gte=starts_on
    ).select_related("agency__organisation")
    if exclude_id is not None:
        qs = qs.exclude(pk=exclude_id)
    return qs.order_by("starts_on")


def p2_amount_problems(annual_amount: Decimal, annual_ceiling: Decimal, tender=None) -> list[str]:
    """P2: the annual amount is positive and within the package's ceiling and, when the package comes from a
    tender, within the tender's ceiling (the database checks the first two; the tender's ceiling lives in
    another table, so this function is where it is checked)."""
    problems: list[str] = []
    if annual_amount <= 0:
        problems.append(_("年度金额必须大于0（P2）。"))
    if annual_amount > annual_ceiling:
        problems.append(
            _("年度金额 %(amount)s 元超过年度最高限价 %(ceiling)s 元（P2）。")
            % {"amount": annual_amount, "ceiling": annual_ceiling}
        )
    if tender is not None and annual_amount > tender.annual_ceiling:
        problems.append(
            _("年度金额 %(amount)s 元超过招标项目“%(tender)s”的最高限价 %(ceiling)s 元（P2）。")
            % {"amount": annual_amount, "tender": tender.title, "ceiling": tender.annual_ceiling}
        )
    return problems

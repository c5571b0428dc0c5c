"""K2 — certificates and qualifications expiring or expired (Q5), for what keeps running packages going:
the certificates of the full-time staff fielded on them (`procurement.rules.valid_certificate`, `q5_expiring`)
and the registration and qualification of the agencies holding them (`qualification_check`). The horizon is
`COMPLIANCE_EXPIRY_HORIZON_DAYS` (Q5's 60 days by default); severity rises as expiry nears and once past.
Four queries whatever the number of packages."""

from __future__ import annotations

import datetime
from collections import defaultdict

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from procurement.models import Certificate, QualificationApplication, StaffAssignment
from procurement.rules import is_employed, q5_expiring, qualification_check, valid_certificate

from . import Found, check
from ._shared import package_scope, running_packages, setting, url

URGENT_DAYS = 14


def _severity(days_left: int) -> str:
    if days_left < 0:
        return "critical"
    return "warning" if days_left <= URGENT_DAYS else "info"


@check("K2")
def k2_expiring(*, today: datetime.date) -> list[Found]:
    horizon = setting("COMPLIANCE_EXPIRY_HORIZON_DAYS")
    packages = list(running_packages(today))
    assignments = (
        StaffAssignment.objects.filter(package__in=packages, staff__is_full_time=True)
        .select_related("staff")
        .prefetch_related(Prefetch("staff__certificates", queryset=Certificate.objects.order_by("-expires_on")))
        .order_by("package_id", "staff__name")
    )
    by_pk = {p.pk: p for p in packages}
    found: list[Found] = []
    seen: set[int] = set()
    for a in assignments:
        staff, package = a.staff, by_pk[a.package_id]
        if staff.pk in seen or not is_employed(staff, today):
            continue
        seen.add(staff.pk)
        certificate = valid_certificate(staff, today)
        if certificate is not None:
            if not q5_expiring(certificate.expires_on, today, horizon):
                continue
        else:  # the latest certificate has expired (a staff member never certified is K1's Q3 matter)
            certificate = max(
                (c for c in staff.certificates.all() if c.expires_on < today), key=lambda c: c.expires_on, default=None
            )
            if certificate is None:
                continue
        days = (certificate.expires_on - today).days
        if days < 0:
            message = _(
                "%(name)s（%(agency)s，%(p)s）的社工证书已于 %(date)s 过期，不再计入持证社工（Q5）。"
                "请上传续期后的证书，或调整项目人员配置。"
            )
        else:
            message = _(
                "%(name)s（%(agency)s，%(p)s）的社工证书将于 %(date)s 到期，还剩 %(days)d 天（Q5）。"
                "请及时办理续期并上传新证书。"
            )
        found.append(
            Found(
                subject_key=f"certificate:{certificate.pk}",
                message=message
                % {
                    "name": staff.name,
                    "agency": package.agency.organisation.name,
                    "p": package.title,
                    "date": certificate.expires_on.isoformat(),
                    "days": days,
                },
                severity=_severity(days),
                organisation_id=package.agency.organisation_id,
                url=url("procurement:staff-detail", staff.pk),
                details={
                    "kind": "certificate",
                    "staff_id": staff.pk,
                    "staff": staff.name,
                    "certificate": certificate.number,
                    "level": certificate.get_level_display(),
                    "expires_on": certificate.expires_on.isoformat(),
                    "days_left": days,
                },
                **package_scope(package),
            )
        )

    # Agencies holding a running package: registration and approved qualification (Q1, warned under Q5).
    agencies: dict[int, list] = defaultdict(list)
    for package in packages:
        agencies[package.agency_id].append(package)
    approved: dict[int, QualificationApplication] = {}
    rows = QualificationApplication.objects.filter(
        agency_id__in=list(agencies),
        status=QualificationApplication.Status.APPROVED,
        valid_from__lte=today,
        valid_until__gte=today,
    ).order_by("agency_id", "-valid_until")
    for q in rows:
        approved.setdefault(q.agency_id, q)
    for agency_id, held in agencies.items():
        agency = held[0].agency
        result = qualification_check(agency, on=today, approved=approved.get(agency_id), warning_days=horizon)
        if not result.problems and not result.warnings:
            continue
        dates = [agency.registration_valid_until]
        if result.approved is not None:
            dates.append(result.approved.valid_until)
        days = min((d - today).days for d in dates)
        scope = package_scope(held[0]) if len(held) == 1 else {}
        found.append(
            Found(
                subject_key=f"agency:{agency_id}:qualification",
                message=_("%(agency)s（承接 %(n)d 个执行中的项目包）：%(items)s请及时办理登记证书或承接资格的续期。")
                % {
                    "agency": agency.organisation.name,
                    "n": len(held),
                    "items": "".join(result.problems + result.warnings),
                },
                severity="critical" if result.problems else _severity(days),
                organisation_id=agency.organisation_id,
                url=url("procurement:agency-detail", agency_id),
                details={
                    "kind": "qualification",
                    "problems": result.problems,
                    "warnings": result.warnings,
                    "registration_valid_until": agency.registration_valid_until.isoformat(),
                    "qualification_valid_until": result.approved.valid_until.isoformat() if result.approved else None,
                    "packages": [p.pk for p in held],
                },
                **scope,
            )
        )
    return found

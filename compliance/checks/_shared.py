"""What several checks need: the packages running on a date, the responsible offices of towns and the bureaus,
and the checks' settings. Each helper is one query whatever the number of packages."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse

from directory.models import Organisation
from procurement.models import ServicePackage

DEFAULTS = {
    # K2: certificates and qualifications expiring within this many days are findings (Q5 says 60).
    "COMPLIANCE_EXPIRY_HORIZON_DAYS": 60,
    # K3: a submitted report the town has not confirmed or returned after this many days is the town's finding.
    "COMPLIANCE_CONFIRM_DAYS": 10,
    # K4: a package without an approved plan this many days after its start is a finding.
    "COMPLIANCE_PLAN_GRACE_DAYS": 60,
    # K5: lagging items are judged once this many days of the plan year have passed (the first report is in).
    "COMPLIANCE_LAGGING_GRACE_DAYS": 45,
    # K7: an instalment whose milestone is met and that is still unpaid this many days after its date is late.
    "COMPLIANCE_PAYMENT_GRACE_DAYS": 30,
}


def setting(name: str) -> int:
    return int(getattr(settings, name, DEFAULTS[name]))


def running_packages(today: datetime.date) -> QuerySet[ServicePackage]:
    """Active packages whose period includes `today`, with what the findings name (town, agency, round)."""
    return (
        ServicePackage.objects.filter(status=ServicePackage.Status.ACTIVE, starts_on__lte=today, ends_on__gte=today)
        .select_related("town__district", "agency__organisation", "round", "tender")
        .order_by("pk")
    )


def town_offices(town_ids) -> dict[int, int]:
    """{town id: its town office's Organisation id} (the first active one)."""
    offices: dict[int, int] = {}
    rows = Organisation.objects.filter(kind=Organisation.Kind.TOWN_OFFICE, town_id__in=list(town_ids), is_active=True)
    for town_id, org_id in rows.order_by("pk").values_list("town_id", "pk"):
        offices.setdefault(town_id, org_id)
    return offices


def bureaus() -> tuple[int | None, dict[int, int]]:
    """(the city bureau's Organisation id, {district id: the district bureau's id})."""
    city: int | None = None
    by_district: dict[int, int] = {}
    rows = Organisation.objects.filter(kind=Organisation.Kind.BUREAU, is_active=True).order_by("pk")
    for district_id, org_id in rows.values_list("district_id", "pk"):
        if district_id is None:
            city = city or org_id
        else:
            by_district.setdefault(district_id, org_id)
    return city, by_district


def package_scope(package: ServicePackage) -> dict:
    """The Found fields that place a finding on a package (for scoping who sees it)."""
    return {
        "package_id": package.pk,
        "town_id": package.town_id,
        "district_id": package.town.district_id,
    }


def url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])

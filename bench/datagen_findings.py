"""Compliance findings for the benchmarks: three per generated package (the agency must answer them), made as
the sweep makes them (`compliance.services.findings_sync`), and one of them answered."""

from __future__ import annotations

from compliance.checks import Found
from compliance.models import Finding
from compliance.services import finding_respond, findings_sync
from procurement.models import ServicePackage


def generate_findings(scale: int, users: dict) -> dict:
    packages = list(ServicePackage.objects.select_related("town", "agency"))
    found = [
        Found(
            f"bench:{p.pk}:{k}",
            f"基准合规问题 {k}",
            organisation_id=p.agency.organisation_id,
            package_id=p.pk,
            district_id=p.town.district_id,
            town_id=p.town_id,
            details={"k": k},
        )
        for p in packages
        for k in range(3)
    ]
    findings_sync(rule="K5", found=found)
    manager = users["agency_manager"]
    mine = Finding.objects.filter(organisation_id=users["agency"].organisation_id).first()
    if mine is not None:
        finding_respond(actor=manager, finding=mine, text="基准整改说明")
    return {}

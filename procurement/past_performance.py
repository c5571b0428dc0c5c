"""Past performance (既往绩效, a T4 criterion) as an expert reads it beside a bid: the agency's earlier packages
and what became of them. Procurement knows the packages; their evaluation grades live in the evaluation app,
which procurement must not import (apps depend downwards only), so evaluation registers a provider here in its
AppConfig.ready() and this module asks it."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from procurement.models import ServicePackage

# A provider takes package ids and returns {package id: [short facts, e.g. "结项评估 良好（86.5 分）"]}.
Provider = Callable[[list[int]], dict[int, list[str]]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    _providers.append(provider)
    return provider


@dataclass
class PastPackage:
    package: ServicePackage
    facts: list[str] = field(default_factory=list)


def past_packages(agency_ids: Iterable[int], *, exclude_tender_id: int | None = None) -> dict[int, list[PastPackage]]:
    """Each agency's packages (newest first), other than the one the tender at hand would create, with the
    facts the providers know about them. Two queries plus one per provider, whatever the number of agencies."""
    qs = ServicePackage.objects.filter(agency_id__in=list(agency_ids))
    if exclude_tender_id is not None:
        qs = qs.exclude(tender_id=exclude_tender_id)
    packages = list(qs.select_related("town").order_by("-starts_on"))
    facts: dict[int, list[str]] = {}
    for provider in _providers:
        for package_id, found in provider([p.pk for p in packages]).items():
            facts.setdefault(package_id, []).extend(found)
    result: dict[int, list[PastPackage]] = {}
    for package in packages:
        result.setdefault(package.agency_id, []).append(PastPackage(package, facts.get(package.pk, [])))
    return result

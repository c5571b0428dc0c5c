"""The figures at the top of a user's home page ("the city at a glance") and in the city annual report (R3).

Like `core.attention`, a registry: each app registers figure providers in its AppConfig.ready(), so the home page
(directory) and the report (reporting) show what higher apps offer without importing them. A provider takes an
`Area` — whose figures are asked for: the whole city, some districts, some towns or some agencies' packages, for a
year — and returns `FigureGroup`s (or nothing). Reporting registers the delivery, money and coverage figures;
**compliance registers "open findings by severity" here** (and R3 prints whatever groups are registered for the
city), so neither the dashboard nor the report changes when it lands.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Area:
    """Whose figures: `city` (bureau, auditor, R3), else the ids of districts, towns or agencies (organisation ids)
    the user acts for. `user` is None when the system asks (the PDF of R3, a command); `on` is the day the
    figures are taken on (today, or 31 December of a past year)."""

    DASHBOARD = "dashboard"  # a home page: live figures, each a link
    ANNUAL_REPORT = "annual_report"  # R3's PDF: the city's year, no links

    kind: str  # "city", "district", "town" or "agency"
    on: datetime.date
    user: object | None = None
    district_ids: frozenset[int] = frozenset()
    town_ids: frozenset[int] = frozenset()
    agency_ids: frozenset[int] = frozenset()
    purpose: str = DASHBOARD

    @property
    def year(self) -> int:
        return self.on.year

    @property
    def is_city(self) -> bool:
        return self.kind == "city"


@dataclass
class Figure:
    label: str
    value: object
    url: str = ""
    detail: str = ""
    key: str = ""  # a stable name for tests and styling (e.g. "lagging", "overdue")
    alert: bool = False  # a number that asks for action when above zero


@dataclass
class Chart:
    title: str
    svg: str  # inline SVG markup, rendered on the server (no script: the CSP allows none)
    key: str = ""


@dataclass
class FigureGroup:
    title: str
    figures: list[Figure] = field(default_factory=list)
    charts: list[Chart] = field(default_factory=list)
    order: int = 100
    key: str = ""
    links: list[tuple[str, str]] = field(default_factory=list)  # (label, url) under the figures

    @property
    def is_empty(self) -> bool:
        return not self.figures and not self.charts


Provider = Callable[[Area], list[FigureGroup]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def groups_for(area: Area | None) -> list[FigureGroup]:
    """Every registered provider's groups for `area`, in order; nothing for no area (a role without a dashboard)."""
    if area is None:
        return []
    groups: list[FigureGroup] = []
    for provider in _providers:
        groups.extend(provider(area) or [])
    return sorted(groups, key=lambda g: g.order)

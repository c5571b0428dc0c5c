"""The checks K1–K10, one module each (`k1.py`, `k3.py`, …), registered with `@check("K3")`.

A check is `def kN_…(*, today: datetime.date) -> Iterable[Found]`: what breaks its rule on `today`, city-wide.
It must reuse the rule functions the pages use (procurement.rules, delivery.coverage / progress / workflow,
evaluation.scoring, funds.rules …) and run a fixed handful of queries whatever the number of packages (the
sweep's query count is pinned in tests at two data sizes). It only reports; `services.findings_sync` turns
what it reports into findings (open, update, close, reopen)."""

from __future__ import annotations

import datetime
import importlib
import pkgutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Found:
    """One subject breaking one rule. `subject_key` is stable across runs ("package:12", "report:7")."""

    subject_key: str
    message: str
    severity: str = "warning"  # Finding.Severity value
    organisation_id: int | None = None  # the responsible organisation (who must rectify)
    district_id: int | None = None
    town_id: int | None = None
    community_id: int | None = None
    package_id: int | None = None
    url: str = ""  # the subject's page
    details: dict = field(default_factory=dict)  # JSON-serialisable facts shown on the finding's page


Check = Callable[..., Iterable[Found]]
CHECKS: dict[str, Check] = {}


def check(rule: str) -> Callable[[Check], Check]:
    def register(fn: Check) -> Check:
        CHECKS[rule] = fn
        return fn

    return register


def load_all() -> None:
    """Import every check module of this package (called from AppConfig.ready)."""
    for module in pkgutil.iter_modules(__path__):
        importlib.import_module(f"{__name__}.{module.name}")


def registered() -> dict[str, Check]:
    """The checks in rule order (K1, K2, …, K10)."""
    return dict(sorted(CHECKS.items(), key=lambda item: int(item[0][1:])))


def run_check(rule: str, *, today: datetime.date) -> list[Found]:
    found: dict[str, Found] = {}
    for item in CHECKS[rule](today=today):
        found[item.subject_key] = item  # the last word on a subject wins: one finding per rule × subject
    return list(found.values())

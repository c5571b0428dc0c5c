"""The demo-data registry behind `manage.py seed_demo` (safe to run twice).

Each app registers seeders (`register(order)`) in its AppConfig.ready(); `seed_all` runs them in order inside
one transaction, passing one shared `DemoContext` along. core knows no app: the context holds what the
seeders put in it (the demo district and town, organisations by key, users by username, the lines printed)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction


@dataclass
class DemoContext:
    district: Any = None
    town: Any = None
    organisations: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)


Seeder = Callable[[DemoContext], None]
_seeders: list[tuple[int, Seeder]] = []


def register(order: int) -> Callable[[Seeder], Seeder]:
    def decorate(fn: Seeder) -> Seeder:
        if all(existing is not fn for _order, existing in _seeders):
            _seeders.append((order, fn))
        return fn

    return decorate


@transaction.atomic
def seed_all() -> DemoContext:
    ctx = DemoContext()
    for _order, seeder in sorted(_seeders, key=lambda pair: pair[0]):
        seeder(ctx)
    return ctx

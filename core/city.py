"""The city-scale data registry behind `manage.py seed_city` (issue 14): a reproducible Suzhou-sized city for
load tests and the compliance sweep.

Like `core.demo`, each app registers its seeder (`register(order)`), in a module `<app>/city.py` that `seed_all`
finds by itself (Django's autodiscover_modules, as the admin finds admin.py); `seed_city` runs them in order inside one transaction, passing one `CityContext` along. Seeders write with `bulk_create` (the
constraints stay on: a row the constraints refuse fails the load) and draw every random choice from the
context's `random.Random(seed)`, so the same scale, seed and day give the same city. Dates are laid out from
the day of the load (two years of reports up to last month), so the rows are the same whatever the day,
only shifted."""

from __future__ import annotations

import contextlib
import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import models, transaction

# Every generated user logs in with this password (hashed once per load: hashing 1,800 passwords one by one
# would take minutes).
CITY_PASSWORD = "city-scale-2026"


@dataclass
class CityContext:
    scale: float
    seed: int
    rnd: random.Random
    today: Any
    password_hash: str = ""
    # What seeders share: lists of rows by name ("towns", "agencies", "packages", ...) and users by key.
    rows: dict[str, Any] = field(default_factory=dict)
    users: dict[str, Any] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)
    lines: list[str] = field(default_factory=list)

    def scaled(self, n: int, at_least: int = 1) -> int:
        """n at scale 1, times the scale (a fraction of a city for quick checks: 0.05 is five towns)."""
        return max(at_least, round(n * self.scale))

    def count(self, name: str, n: int) -> None:
        self.counts[name] = self.counts.get(name, 0) + n


Seeder = Callable[[CityContext], None]
_seeders: list[tuple[int, Seeder]] = []


def register(order: int) -> Callable[[Seeder], Seeder]:
    def decorate(fn: Seeder) -> Seeder:
        if all(existing is not fn for _order, existing in _seeders):
            _seeders.append((order, fn))
        return fn

    return decorate


def bulk(model: type[models.Model], objs: list, batch_size: int = 2000) -> list:
    """bulk_create in batches; on PostgreSQL the primary keys come back, so later seeders can point at rows."""
    created = model.objects.bulk_create(objs, batch_size=batch_size)
    return created


@contextlib.contextmanager
def explicit_timestamps(*fields: tuple[type[models.Model], str]) -> Iterator[None]:
    """Let bulk_create keep the dates the generator sets on `auto_now_add`/`auto_now` fields (a focus issue
    reported a year ago, a report confirmed last spring) instead of stamping every row with the load's time."""
    saved = []
    for model, name in fields:
        f = model._meta.get_field(name)
        saved.append((f, f.auto_now, f.auto_now_add))
        f.auto_now = f.auto_now_add = False
    try:
        yield
    finally:
        for f, auto_now, auto_now_add in saved:
            f.auto_now, f.auto_now_add = auto_now, auto_now_add


def seed_all(*, scale: float, seed: int, today, out: Callable[[str], None] | None = None) -> CityContext:
    from django.contrib.auth.hashers import make_password
    from django.utils.module_loading import autodiscover_modules

    autodiscover_modules("city")
    ctx = CityContext(scale=scale, seed=seed, rnd=random.Random(seed), today=today)
    ctx.password_hash = make_password(CITY_PASSWORD)
    with transaction.atomic():
        for _order, seeder in sorted(_seeders, key=lambda pair: pair[0]):
            started = time.perf_counter()
            seeder(ctx)
            if out:
                out(f"  {seeder.__module__}: {time.perf_counter() - started:.1f} s")
    return ctx

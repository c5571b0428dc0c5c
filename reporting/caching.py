"""City-wide figures that change a few times a day, computed once and kept in the configured cache
(`django.core.cache.cache`) instead of on every request (issue 14): the public city statistics (page and API), the
community funds' totals they show, R3's `city_annual` figures (the bureau's home page and the city annual page),
and each dashboard area's figures (`area_figures`: the home pages and the lists behind their figures).

Every key holds a *version* (one counter in the cache). Any write to a row these figures are made of —
places, organisations, agencies and their qualifications, staff, certificates, packages, staff assignments,
plans and their items, monthly reports and their lines, focus issues, evaluations, and every funds row (budgets, splits, instalments, payments, community funds and
their ledgers) — bumps the version through Django's model signals (`reporting/apps.py`), once when the row is
saved and once more when its transaction commits (so a request that read the old rows while the write was not
yet committed cannot keep them under the new version). The next request therefore recomputes: a write shows up
on the next page view. Writes that bypass the signals (`QuerySet.update`, `bulk_create`) are covered by the
transaction's other saves or, at worst, by the entries' lifetime (`FIGURES_CACHE_SECONDS`).

With the default local-memory cache each gunicorn worker keeps its own copy and its own version: a write made
through one worker reaches the others only when their entries expire. A shared cache (Redis, see
docs/DEPLOYMENT.md) makes the invalidation immediate everywhere.

A key also holds the day the figures are taken on (the statistics are "as of today") and, for `city_annual`,
the language: its labels are translated when it is built."""

from __future__ import annotations

import dataclasses
import datetime
import time

from django.core.cache import cache
from django.db import transaction
from django.utils import timezone, translation

VERSION_KEY = "reporting:figures:version"
# The lifetime of an entry: the bound on staleness for a write that no signal sees, and for the other workers'
# copies when the cache is per process.
FIGURES_CACHE_SECONDS = 300


def version() -> int:
    current = cache.get(VERSION_KEY)
    if current is None:
        # A fresh start (or the key evicted): a number never used before, so no entry of an earlier
        # generation can be read back under it.
        cache.add(VERSION_KEY, time.time_ns(), None)
        current = cache.get(VERSION_KEY, 0)
    return current


def _bump() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # not there (yet, or evicted)
        cache.set(VERSION_KEY, time.time_ns(), None)


# Saves that change no figure: a report's draft text as the worker types (autosave, every few seconds during the
# filing rush) and the lines it holds — figures count confirmed reports, and a report becomes confirmed (or
# leaves it) only through a save that names its status.
QUIET_SAVES = {"delivery.ReportLine": None, "delivery.ServiceReport": {"status"}}


def _changes_figures(sender, created: bool = False, update_fields=None, **_kwargs) -> bool:
    label = sender._meta.label if sender is not None else ""
    if label not in QUIET_SAVES or created:
        return True
    figure_fields = QUIET_SAVES[label]
    if figure_fields is None:
        return False
    return update_fields is None or bool(figure_fields & set(update_fields))


def invalidate(sender=None, signal=None, **kwargs) -> None:
    """Forget every cached figure: now, and again when the current transaction commits. A signal receiver (saves
    of `QUIET_SAVES` that change no figure are ignored; deletions always count)."""
    from django.db.models.signals import post_save

    if signal is post_save and not _changes_figures(sender, **kwargs):
        return
    _bump()
    transaction.on_commit(_bump)


def cached(name: str, *parts, build):
    """The value of `build()` under (name, parts, current version), computed on a miss."""
    key = ":".join(["reporting", name, str(version()), *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = build()
        cache.set(key, value, FIGURES_CACHE_SECONDS)
    return value


def city_statistics_cached(today: datetime.date | None = None):
    from .statistics import city_statistics

    today = today or timezone.localdate()
    return cached("city_statistics", today.isoformat(), build=lambda: city_statistics(today))


def fund_statistics_cached(on: datetime.date | None = None) -> dict:
    """The community funds' totals of the statistics page (all ledger entries up to now, or up to `on`)."""
    from funds.selectors import fund_statistics

    day = (on or timezone.localdate()).isoformat()
    return cached(
        "fund_statistics",
        day,
        "on" if on else "all",
        translation.get_language(),  # the kinds' labels are translated when built
        build=lambda: fund_statistics(on=on),
    )


def city_annual_cached(year: int, *, today: datetime.date | None = None):
    from .figures import city_annual

    today = today or timezone.localdate()
    return cached(
        "city_annual",
        year,
        today.isoformat(),
        translation.get_language(),
        build=lambda: city_annual(year, today=today),
    )


def area_figures_cached(area):
    """A dashboard area's figures (`figures.area_figures`): the same for every user of the same area on the same
    day, so cached under the area (kind, ids, day, purpose) and the language (places' names)."""
    from .figures import area_figures

    return cached(
        "area_figures",
        area.kind,
        area.on.isoformat(),
        area.purpose,
        ",".join(map(str, sorted(area.district_ids))),
        ",".join(map(str, sorted(area.town_ids))),
        ",".join(map(str, sorted(area.agency_ids))),
        translation.get_language(),
        # Built without the asking user: the figures are the area's, shared by all its users (and no User row
        # goes into a shared cache).
        build=lambda: area_figures(dataclasses.replace(area, user=None)),
    )

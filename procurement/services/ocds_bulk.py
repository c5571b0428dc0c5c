"""OCDS at scale (issue 14): release packages per year, a paged release list, and records per ocid.

The single release package of every release grows without bound; large publishers serve instead
- one release package per year (the year of the release's `date`, in local time), as bulk files — the same
  gzip bytes from `/ocds/releases/<year>.json.gz` and from `manage.py export_ocds --output-dir`;
- a list of releases paged by a keyset cursor on (date, id), each page a release package with
  `links.next` (the OCDS "links" pattern) — a deep page costs what the first one does;
- one record package per ocid, with every release of the process embedded and its compiled release.

Releases are computed from the tenders (they are not stored), in a constant number of queries. The computed
releases are cached per year under a *fingerprint* of what they are made from: the tenders' history (newest
change and number of changes — every status change, publication and award writes one) and the number of
public tenders past their deadline (a passing deadline publishes the bid count). Any of these changing makes
a new fingerprint, hence new keys: nothing is deleted, old entries expire. What the fingerprint does not see
(an organisation renamed, a contract signed later without a tender change) shows within
`OCDS_CACHE_SECONDS` (default 600), the entries' lifetime. Computing the fingerprint is two small queries.
"""

from __future__ import annotations

import base64
import binascii
import bisect
import datetime
import gzip
import json
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.db.models import Count, Max
from django.utils import timezone

from procurement.models import Tender
from procurement.selectors import tender_public_list

from .ocds import (
    _buyer_party,
    _Context,
    _package_head,
    _publisher,
    _status_dates,
    city_bureau,
    ocds_prefix,
    ocds_tenders,
    tender_releases,
)

DEFAULT_PAGE_SIZE = 100
MAX_PAGE_SIZE = 500
CACHE_PREFIX = "ocds:v1"


def cache_seconds() -> int:
    return int(getattr(settings, "OCDS_CACHE_SECONDS", 600))


def release_key(release: dict) -> tuple[str, str]:
    """The list's order: date then id. Every date has the same offset and precision, so strings sort as times."""
    return (release["date"], release["id"])


def release_year(release: dict) -> int:
    return int(release["date"][:4])


def fingerprint(*, now: datetime.datetime) -> str:
    history = Tender.history.model.objects.aggregate(last=Max("history_date"), n=Count("history_id"))
    opened = tender_public_list().filter(bid_deadline__lte=now).count()
    last = history["last"].isoformat() if history["last"] else "-"
    return f"{last}:{history['n']}:{opened}"


def _build(now: datetime.datetime) -> dict[str, Any]:
    """Every public release grouped by year, each year sorted by (date, id), with the publisher."""
    bureau = city_bureau()
    ctx = _Context(buyer=_buyer_party(bureau), now=now, status_dates=_status_dates())
    years: dict[int, list[dict]] = {}
    for tender in ocds_tenders(now=now):
        for release in tender_releases(tender, ctx):
            years.setdefault(release_year(release), []).append(release)
    for releases in years.values():
        releases.sort(key=release_key)
    return {"publisher": _publisher(bureau), "years": years}


class Releases:
    """The published releases as of now, read year by year from the cache (built once per fingerprint)."""

    def __init__(self, *, now: datetime.datetime | None = None):
        self.now = now or timezone.now()
        self.prefix = f"{CACHE_PREFIX}:{ocds_prefix()}:{fingerprint(now=self.now)}"
        self._index: dict | None = None

    def _key(self, *parts) -> str:
        return ":".join([self.prefix, *map(str, parts)])

    @property
    def index(self) -> dict:
        """{"publisher": ..., "years": [year, ...]} — built (and every year cached) on a miss."""
        if self._index is None:
            self._index = cache.get(self._key("index"))
        if self._index is None:
            built = _build(self.now)
            self._index = {"publisher": built["publisher"], "years": sorted(built["years"])}
            entries = {self._key("year", year): releases for year, releases in built["years"].items()}
            entries[self._key("index")] = self._index
            cache.set_many(entries, cache_seconds())
            self._built = built["years"]
        return self._index

    @property
    def years(self) -> list[int]:
        return self.index["years"]

    @property
    def publisher(self) -> dict:
        return self.index["publisher"]

    def year(self, year: int) -> list[dict]:
        """The releases of one year, oldest first; [] for a year with none."""
        if year not in self.years:
            return []
        built = getattr(self, "_built", None)
        if built is not None:
            return built[year]
        releases = cache.get(self._key("year", year))
        if releases is None:  # evicted: rebuild everything under this fingerprint
            self._index = None
            cache.delete(self._key("index"))
            _ = self.index
            return self._built.get(year, [])
        return releases

    # --- per-year bulk files ---------------------------------------------------------------------

    def year_package(self, year: int, *, uri: str) -> dict | None:
        releases = self.year(year)
        if not releases:
            return None
        package = _package_head(uri=uri, published=max(r["date"] for r in releases), publisher=self.publisher)
        package["releases"] = releases
        return package

    def year_file(self, year: int, *, uri: str) -> bytes | None:
        """The year's package as gzip-compressed compact UTF-8 JSON (cached: the same bytes every time)."""
        key = self._key("gz", year, uri)
        data = cache.get(key)
        if data is None:
            package = self.year_package(year, uri=uri)
            if package is None:
                return None
            data = gzip_json(package)
            cache.set(key, data, cache_seconds())
        return data

    # --- the paged list ----------------------------------------------------------------------------

    def page(self, *, after: tuple[str, str] | None, limit: int) -> tuple[list[dict], tuple[str, str] | None]:
        """Up to `limit` releases after the cursor in (date, id) order, and the cursor of the next page (None at
        the end). Reads only the years the page spans, and bisects within them."""
        found: list[dict] = []
        start_year = int(after[0][:4]) if after else None
        for year in self.years:
            if start_year is not None and year < start_year:
                continue
            releases = self.year(year)
            keys = [release_key(r) for r in releases] if after and year == start_year else None
            begin = bisect.bisect_right(keys, after) if keys is not None else 0
            found.extend(releases[begin : begin + limit + 1 - len(found)])
            if len(found) > limit:
                break
        if len(found) > limit:
            page = found[:limit]
            return page, release_key(page[-1])
        return found, None

    def page_package(self, page: list[dict], *, uri: str, next_url: str | None) -> dict:
        published = max((r["date"] for r in page), default=None) or timezone.localtime(self.now).isoformat(
            timespec="seconds"
        )
        package = _package_head(uri=uri, published=published, publisher=self.publisher)
        package["releases"] = page
        if next_url:
            package["links"] = {"next": next_url}
        return package


def dumps(package: dict) -> str:
    """Compact UTF-8 JSON: bulk files are read by programs."""
    return json.dumps(package, ensure_ascii=False, separators=(",", ":"))


def gzip_json(package: dict) -> bytes:
    # mtime=0: the same package always gives the same bytes (the command's files equal the served ones).
    return gzip.compress(dumps(package).encode("utf-8"), compresslevel=6, mtime=0)


def encode_cursor(key: tuple[str, str]) -> str:
    return base64.urlsafe_b64encode(json.dumps(list(key)).encode()).decode().rstrip("=")


def decode_cursor(value: str) -> tuple[str, str]:
    """The (date, id) a cursor names; ValueError when it is not one of ours."""
    try:
        raw = base64.urlsafe_b64decode(value + "=" * (-len(value) % 4))
        date, release_id = json.loads(raw)
    except (binascii.Error, ValueError, TypeError, UnicodeDecodeError) as exc:
        raise ValueError("bad cursor") from exc
    if not (isinstance(date, str) and isinstance(release_id, str) and len(date) >= 4 and date[:4].isdigit()):
        raise ValueError("bad cursor")
    return (date, release_id)


# --- records -------------------------------------------------------------------------------------------


def tender_pk_of(ocid: str) -> int | None:
    prefix = ocds_prefix()
    rest = ocid[len(prefix) :] if ocid.startswith(prefix) else ""
    # Only the canonical spelling (no leading zeros, ASCII digits): one address per record.
    if not (rest.isascii() and rest.isdigit() and len(rest) < 18) or str(int(rest)) != rest:
        return None
    return int(rest)


def record_package(ocid: str, *, uri: str, now: datetime.datetime | None = None) -> dict | None:
    """The record package of one contracting process: its releases embedded (oldest first) and its compiled
    release; None when the ocid is not a public tender's. Every release is a full snapshot of what is public
    at its date and each one keeps what the previous showed, so the compiled release (OCDS merge: newest value
    of every field) is the newest release under the `compiled` tag. A constant number of queries."""
    pk = tender_pk_of(ocid)
    if pk is None:
        return None
    now = now or timezone.now()
    tender = ocds_tenders(now=now).filter(pk=pk).first()
    if tender is None:
        return None
    bureau = city_bureau()
    ctx = _Context(buyer=_buyer_party(bureau), now=now, status_dates=_status_dates([pk]))
    releases = tender_releases(tender, ctx)
    newest = releases[-1]
    compiled = {**newest, "id": f"{ocid}-compiled", "tag": ["compiled"]}
    package = _package_head(uri=uri, published=max(r["date"] for r in releases), publisher=_publisher(bureau))
    package["records"] = [{"ocid": ocid, "releases": releases, "compiledRelease": compiled}]
    return package

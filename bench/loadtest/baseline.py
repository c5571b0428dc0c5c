"""The ceiling (issue 14): hand-written WSGI endpoints that serve the same rows as our API lists and the package
list page, each with ONE raw SQL query (the page of rows plus the total, `count(*) OVER ()`) serialised with
`json.dumps` — or, for the page, the same template rendered from plain dicts. No middleware, no session, no
authentication, no ORM: what is left is the database round trip and the serialisation, the floor under which
no Django view can go. `bench/loadtest/wsgi.py` mounts it under /__baseline__/ in the same gunicorn as the
platform, so both are measured in the same run on the same workers.

Each endpoint's SQL mirrors what our endpoint returns to the bureau (which sees every row): the same columns,
the same order, the same page (`?limit=&offset=`)."""

from __future__ import annotations

import datetime
import json
import os
import zoneinfo
from decimal import Decimal
from types import SimpleNamespace
from urllib.parse import parse_qs

import psycopg

TZ = zoneinfo.ZoneInfo("Asia/Shanghai")
_conn: psycopg.Connection | None = None


def _connection() -> psycopg.Connection:
    """One connection per worker process, kept open (as Django's with DB_CONN_MAX_AGE)."""
    global _conn
    if _conn is None or _conn.closed:
        _conn = psycopg.connect(os.environ["DATABASE_URL"], autocommit=True)
    return _conn


def _rows(sql: str, params: tuple) -> list[tuple]:
    try:
        with _connection().cursor() as cur:
            cur.execute(sql, params)
            return cur.fetchall()
    except psycopg.OperationalError:
        global _conn
        _conn = None
        raise


def _local(value: datetime.datetime | None) -> str | None:
    return value.astimezone(TZ).isoformat() if value is not None else None


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def _money(value: Decimal) -> str:
    return f"{value:.2f}"


def _due_on(year: int, month: int, due_day: int) -> str:
    y, m = (year + 1, 1) if month == 12 else (year, month + 1)
    return datetime.date(y, m, min(due_day, 28)).isoformat()


FOCUS_ISSUES = """
SELECT f.id, c.name, f.community_id, t.name, f.package_id, f.kind, f.title, f.description, f.status,
       f.resolution, f.resolved_on, f.reported_at, count(*) OVER ()
FROM procurement_focusissue f
JOIN directory_community c ON c.id = f.community_id
JOIN directory_town t ON t.id = c.town_id
ORDER BY f.reported_at DESC, f.id DESC
LIMIT %s OFFSET %s
"""


def focus_issues(limit: int, offset: int) -> tuple[int, list[dict]]:
    rows = _rows(FOCUS_ISSUES, (limit, offset))
    return (rows[0][-1] if rows else 0), [
        {
            "id": r[0],
            "community": r[1],
            "community_id": r[2],
            "town": r[3],
            "package": r[4],
            "kind": r[5],
            "title": r[6],
            "description": r[7],
            "status": r[8],
            "resolution": r[9],
            "resolved_on": _date(r[10]),
            "reported_at": _local(r[11]),
        }
        for r in rows
    ]


REPORTS = """
SELECT r.id, r.package_id, r.year, r.month, r.version, r.supersedes_id, r.status, r.summary, r.returned_reason,
       rd.report_due_day, r.submitted_at, r.confirmed_at, count(*) OVER ()
FROM procurement_servicereport r
JOIN procurement_servicepackage p ON p.id = r.package_id
JOIN procurement_round rd ON rd.id = p.round_id
ORDER BY r.year DESC, r.month DESC, r.package_id, r.version DESC
LIMIT %s OFFSET %s
"""


def reports(limit: int, offset: int) -> tuple[int, list[dict]]:
    rows = _rows(REPORTS, (limit, offset))
    return (rows[0][-1] if rows else 0), [
        {
            "id": r[0],
            "package": r[1],
            "year": r[2],
            "month": r[3],
            "version": r[4],
            "supersedes": r[5],
            "status": r[6],
            "summary": r[7],
            "returned_reason": r[8],
            "due_on": _due_on(r[2], r[3], r[9]),
            "submitted_at": _local(r[10]),
            "confirmed_at": _local(r[11]),
        }
        for r in rows
    ]


# The small items ride along as an array aggregate (the same rows our prefetch fetches, in one query).
CATALOG_ITEMS = """
SELECT i.id, e.code, c.code, c.kind, i.code, i.name_zh, i.name_en, i.description, i.level, i.unit,
       i.suggested_annual_target,
       ARRAY(SELECT t.name_zh FROM catalog_servicetask t WHERE t.item_id = i.id ORDER BY t."order", t.code),
       count(*) OVER ()
FROM catalog_serviceitem i
JOIN catalog_servicecategory c ON c.id = i.category_id
JOIN catalog_catalogueedition e ON e.id = i.edition_id
ORDER BY c."order", i."order", i.code, i.id
LIMIT %s OFFSET %s
"""


def catalog_items(limit: int, offset: int) -> tuple[int, list[dict]]:
    rows = _rows(CATALOG_ITEMS, (limit, offset))
    return (rows[0][-1] if rows else 0), [
        {
            "id": r[0],
            "edition": r[1],
            "category_code": r[2],
            "category_kind": r[3],
            "code": r[4],
            "name_zh": r[5],
            "name_en": r[6],
            "description": r[7],
            "level": r[8],
            "unit": r[9],
            "suggested_annual_target": r[10],
            "small_items": r[11],
        }
        for r in rows
    ]


TENDERS = """
SELECT t.id, t.title, t.status, tw.name, t.town_id, d.name, rd.code, e.code, t.annual_ceiling, t.period_years,
       t.service_starts_on, t.min_full_time_staff, t.min_certified_share, t.weight_price, t.weight_proposal,
       t.weight_team, t.weight_past, t.bid_deadline,
       (SELECT count(*) FROM procurement_bid b WHERE b.tender_id = t.id),
       count(*) OVER ()
FROM procurement_tender t
JOIN directory_town tw ON tw.id = t.town_id
JOIN directory_district d ON d.id = tw.district_id
JOIN procurement_round rd ON rd.id = t.round_id
JOIN catalog_catalogueedition e ON e.id = t.edition_id
ORDER BY t.created_at DESC, t.id
LIMIT %s OFFSET %s
"""


def tenders(limit: int, offset: int) -> tuple[int, list[dict]]:
    rows = _rows(TENDERS, (limit, offset))
    return (rows[0][-1] if rows else 0), [
        {
            "id": r[0],
            "title": r[1],
            "status": r[2],
            "town": r[3],
            "town_id": r[4],
            "district": r[5],
            "round": r[6],
            "edition": r[7],
            "annual_ceiling": _money(r[8]),
            "period_years": r[9],
            "service_starts_on": _date(r[10]),
            "min_full_time_staff": r[11],
            "min_certified_share": _money(r[12]),
            "weights": {"price": r[13], "proposal": r[14], "team": r[15], "past": r[16]},
            "bid_deadline": _local(r[17]),
            "bid_count": r[18],
        }
        for r in rows
    ]


PACKAGES = """
SELECT p.id, p.title, d.name, t.name, o.name, p.starts_on, p.ends_on, p.annual_amount, p.status, p.cosigned_at,
       (SELECT count(*) FROM procurement_staffassignment a WHERE a.package_id = p.id), count(*) OVER ()
FROM procurement_servicepackage p
JOIN directory_town t ON t.id = p.town_id
JOIN directory_district d ON d.id = t.district_id
JOIN procurement_agency a ON a.id = p.agency_id
JOIN directory_organisation o ON o.id = a.organisation_id
ORDER BY p.starts_on DESC, t.name, p.id
LIMIT %s OFFSET %s
"""

_STATUS_LABELS = {"active": "执行中", "ended": "已结束", "terminated": "已终止"}


def package_page(number: int = 1, per_page: int = 50, query: str = "") -> bytes:
    """The package list page: the same template as procurement:package-list, rendered from plain dicts (no
    request, so the layout's per-user parts — navigation, the user menu — are left out); the same page of
    `per_page` packages, with the same pagination links."""
    from django.core.paginator import Page, Paginator
    from django.http import QueryDict
    from django.template import Context
    from django.template.loader import get_template

    today = datetime.datetime.now(TZ).date()
    rows = _rows(PACKAGES, (per_page, (number - 1) * per_page))
    packages = [
        {
            "pk": r[0],
            "title": r[1],
            "town": {"name": r[3], "district": {"name": r[2]}},
            "agency": r[4],
            "starts_on": r[5],
            "ends_on": r[6],
            "annual_amount": r[7],
            "status": r[8],
            "status_label": "待开始" if r[8] == "active" and r[5] > today else _STATUS_LABELS.get(r[8], r[8]),
            "cosigned_at": r[9],
            "staff_count": r[10],
        }
        for r in rows
    ]
    paginator = Paginator([], per_page)
    paginator.count = rows[0][-1] if rows else 0  # the total from the same query (a cached_property)
    page = Page(packages, number, paginator)
    context = Context({"packages": page, "page": page, "can_create": True})
    context.request = SimpleNamespace(GET=QueryDict(query))  # what {% querystring %} reads
    html = get_template("procurement/tenders/package_list.html").template.render(context)
    return html.encode("utf-8")


LISTS = {
    "/__baseline__/api/focus-issues/": focus_issues,
    "/__baseline__/api/reports/": reports,
    "/__baseline__/api/catalog-items/": catalog_items,
    "/__baseline__/api/tenders/": tenders,
}


def _int(query: dict, name: str, default: int, ceiling: int) -> int:
    try:
        return max(0, min(int(query.get(name, [default])[0]), ceiling))
    except ValueError:
        return default


def application(environ, start_response):
    path = environ.get("PATH_INFO", "")
    if path == "/__baseline__/packages/":
        query = environ.get("QUERY_STRING", "")
        body = package_page(_int(parse_qs(query), "page", 1, 10**6) or 1, query=query)
        start_response("200 OK", [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))])
        return [body]
    handler = LISTS.get(path)
    if handler is None:
        start_response("404 Not Found", [("Content-Type", "text/plain")])
        return [b"not found"]
    query = parse_qs(environ.get("QUERY_STRING", ""))
    limit, offset = _int(query, "limit", 50, 200), _int(query, "offset", 0, 10**9)
    count, results = handler(limit, offset)
    following = (
        f"http://{environ.get('HTTP_HOST', '')}{path}?limit={limit}&offset={offset + limit}"
        if offset + limit < count
        else None
    )
    body = json.dumps(
        {"count": count, "next": following, "previous": None, "results": results},
        ensure_ascii=False,
        separators=(",", ":"),
    ).encode("utf-8")
    start_response("200 OK", [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
    return [body]

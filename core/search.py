"""Search across the platform (issue 13): "which reports mentioned 独居老人 last quarter?".

A registry, like `core.attention` and `core.dashboard`: each app registers a provider per kind of thing it owns
(delivery: reports, focus issues, plan items; procurement: agencies, tenders, packages) in its AppConfig.ready().
A provider takes a `SearchQuery` (the asking user, the terms, the period) and returns the matching rows the user
may see — it starts from the same scoped selector its list page uses — as a count and one page of `Hit`s.
The search page (reporting) groups them by kind without importing any app.

Chinese has no spaces between words and PostgreSQL's text-search parser does not segment it, so matching is by
substring: every term must occur (case-insensitive) in one of the provider's fields. On PostgreSQL, large tables
are indexed by the overlapping two-character pieces of their text (`sw_bigrams`, delivery migration 0004): a
term's bigrams must all be in the row's (GIN, `@>`), then ILIKE confirms. On SQLite it is LIKE alone.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from django.db import connection
from django.db.models import BooleanField, Func, Q, TextField, Value
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

MIN_TERM_LENGTH = 2
MAX_QUERY_LENGTH = 50
MAX_TERMS = 5
SNIPPET_CONTEXT = 30  # characters shown on either side of the first match


class QueryProblem(ValueError):
    """A query that cannot be searched; the message says why, for the user."""


def parse_terms(text: str) -> list[str]:
    """The words of a query: split on white space, duplicates and one-character words dropped, in order.
    Raises QueryProblem (with a message a user can act on) for an empty, too long or too short query."""
    from django.utils.translation import gettext as _

    text = (text or "").strip()
    if not text:
        raise QueryProblem(_("请输入要查找的词语。"))
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryProblem(_("查找的词语太长，请不超过 %(n)d 个字。") % {"n": MAX_QUERY_LENGTH})
    terms: list[str] = []
    for word in text.split():
        if len(word) >= MIN_TERM_LENGTH and word.lower() not in (t.lower() for t in terms):
            terms.append(word)
    if not terms:
        raise QueryProblem(_("请至少输入两个字，例如“独居”。"))
    if len(terms) > MAX_TERMS:
        raise QueryProblem(_("最多同时查找 %(n)d 个词语。") % {"n": MAX_TERMS})
    return terms


@dataclass(frozen=True)
class SearchQuery:
    user: object
    terms: tuple[str, ...]
    # The period asked for: its first day and the first day after it (None: open); undated kinds ignore it.
    start: datetime.date | None = None
    end: datetime.date | None = None

    @property
    def has_period(self) -> bool:
        return self.start is not None or self.end is not None


@dataclass
class Hit:
    title: str
    url: str
    snippet: SafeString | str = ""
    meta: str = ""  # where and whose (town, agency, month), plain text


@dataclass
class KindResult:
    key: str
    label: str
    hits: list[Hit] = field(default_factory=list)
    total: int = 0
    dated: bool = True  # False: the period does not apply to this kind

    @property
    def not_shown(self) -> int:
        return max(self.total - len(self.hits), 0)


# A provider: (query, offset, limit) -> (total, hits)
Provider = Callable[[SearchQuery, int, int], tuple[int, list[Hit]]]


@dataclass
class Kind:
    key: str
    label: object  # lazy translated
    provider: Provider
    order: int = 100
    dated: bool = True


_kinds: dict[str, Kind] = {}


def register(key: str, label, *, order: int = 100, dated: bool = True) -> Callable[[Provider], Provider]:
    def decorator(provider: Provider) -> Provider:
        _kinds[key] = Kind(key=key, label=label, provider=provider, order=order, dated=dated)
        return provider

    return decorator


def kinds() -> list[Kind]:
    return sorted(_kinds.values(), key=lambda k: (k.order, k.key))


def search(query: SearchQuery, *, kind: str | None = None, offset: int = 0, limit: int = 5) -> list[KindResult]:
    """Every registered kind's hits (or one kind's), in order; a fixed number of queries per kind, hits or not."""
    results = []
    for k in kinds():
        if kind and k.key != kind:
            continue
        total, hits = k.provider(query, offset, limit)
        results.append(KindResult(key=k.key, label=str(k.label), hits=hits, total=total, dated=k.dated))
    return results


# --- matching --------------------------------------------------------------------------------------------


class _Joined(Func):
    """Several text columns as one text, as the bigram indexes were built: a || ' ' || b."""

    template = "(%(expressions)s)"
    arg_joiner = " || ' ' || "
    output_field = TextField()


class _Bigrams(Func):
    function = "sw_bigrams"
    output_field = TextField()


class _Contains(Func):
    template = "%(expressions)s"
    arg_joiner = " @> "
    output_field = BooleanField()


def _bigrams_contain(fields: Sequence[str], term: str) -> _Contains:
    from django.db.models import F

    text = F(fields[0]) if len(fields) == 1 else _Joined(*[F(f) for f in fields])
    return _Contains(_Bigrams(text), _Bigrams(Value(term, output_field=TextField())))


def text_q(fields: Sequence[str], terms: Sequence[str], *, indexed: bool = False) -> Q:
    """Rows where every term occurs (ignoring case) in one of `fields`. `indexed`: the fields are those of a
    bigram index of delivery migration 0004, in the same order, so that PostgreSQL can use it."""
    q = Q()
    for term in terms:
        any_field = Q()
        for f in fields:
            any_field |= Q(**{f"{f}__icontains": term})
        if indexed and connection.vendor == "postgresql":
            any_field = Q(_bigrams_contain(fields, term)) & any_field
        q &= any_field
    return q


def matching(model, fields: Sequence[str], terms: Sequence[str], *, indexed: bool = False, value: str = "pk"):
    """The ids (or `value`) of `model`'s rows matching (`text_q`), as a subquery to filter with `pk__in=`. Kept
    apart so that, OR-ed with another condition, PostgreSQL still reads the bigram index instead of computing
    every row's bigrams."""
    return model._default_manager.filter(text_q(fields, terms, indexed=indexed)).values(value)


def page_of(matches, order_by: Sequence[str], offset: int, limit: int, rows) -> list:
    """One page of `matches` (a scoped, filtered queryset) in `order_by` order, read in two steps: the page's ids
    alone, then those rows from `rows` (a queryset with the joins the page shows). In one query PostgreSQL
    misjudges how few rows a text match leaves and joins every table row by row (250 ms at scale 1 for the
    reports; 25 ms in two steps)."""
    ids = list(matches.order_by(*order_by).values_list("pk", flat=True)[offset : offset + limit])
    # Even for no match, read the (empty) rows: the same queries whatever the data, as every list page here.
    by_id = {row.pk: row for row in rows.filter(pk__in=ids or [0])}
    return [by_id[pk] for pk in ids if pk in by_id]


def snippet(text: str, terms: Sequence[str], *, context: int = SNIPPET_CONTEXT) -> SafeString:
    """The text around the first match, escaped, every match of a term in <mark>; the start when none match."""
    text = " ".join((text or "").split())
    pattern = re.compile("|".join(re.escape(t) for t in sorted(terms, key=len, reverse=True)), re.IGNORECASE)
    first = pattern.search(text) if terms else None
    if first is None:
        piece, before, after = text[: 2 * context], "", "…" if len(text) > 2 * context else ""
    else:
        start = max(first.start() - context, 0)
        end = min(first.end() + context, len(text))
        piece, before, after = text[start:end], "…" if start > 0 else "", "…" if end < len(text) else ""
    out, pos = [], 0
    for m in pattern.finditer(piece) if terms else ():
        out.append(escape(piece[pos : m.start()]))
        out.append(f"<mark>{escape(m.group())}</mark>")
        pos = m.end()
    out.append(escape(piece[pos:]))
    return mark_safe(before + "".join(out) + after)  # every piece of text is escaped above


def first_matching(texts: Sequence[str], terms: Sequence[str]) -> str:
    """The first of `texts` containing a term (for the snippet), else the first non-empty one."""
    lowered = [t.lower() for t in terms]
    for text in texts:
        if text and any(t in text.lower() for t in lowered):
            return text
    return next((t for t in texts if t), "")

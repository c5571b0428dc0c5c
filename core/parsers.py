"""The API's JSON parser: DRF's, made safe against bodies built to crash it.

Python's json module recurses once per nesting level, so 100,000 "[" raise RecursionError — not the ValueError
DRF catches — and the request would end in a 500. No document this platform takes is nested more than a few
levels, so anything deeper than MAX_JSON_DEPTH is refused with a 400, as is a body larger than
DATA_UPLOAD_MAX_MEMORY_SIZE (DRF reads the stream itself, past Django's own check on request.body)."""

from __future__ import annotations

import json

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError
from rest_framework.utils import json as drf_json

MAX_JSON_DEPTH = 32


def json_depth(value) -> int:
    """How deeply lists and objects nest in a parsed JSON value (a scalar is 0); iterative, so it cannot
    itself overflow the stack."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        node, depth = stack.pop()
        if isinstance(node, dict):
            children = node.values()
        elif isinstance(node, list):
            children = node
        else:
            continue
        deepest = max(deepest, depth)
        stack.extend((child, depth + 1) for child in children)
    return deepest


def loads_bounded(raw: bytes | str):
    """json.loads that raises ValueError (never RecursionError) for a body nested beyond MAX_JSON_DEPTH."""
    try:
        value = json.loads(raw)
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc
    if json_depth(value) > MAX_JSON_DEPTH:
        raise ValueError("nested too deeply")
    return value


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if limit is not None and len(raw) > limit:
            raise ParseError(_("请求内容过大（JSON 不超过 %(n)d KB）。") % {"n": limit // 1024})
        try:
            text = raw.decode(encoding)
        except (UnicodeDecodeError, LookupError) as exc:
            raise ParseError(_("JSON 编码无效：请使用 UTF-8。")) from exc
        try:
            # DRF's strict constants: NaN and Infinity are not JSON.
            value = drf_json.loads(text, parse_constant=drf_json.strict_constant if self.strict else None)
        except RecursionError as exc:
            raise ParseError(_("JSON 嵌套层数过多（最多 %(n)d 层）。") % {"n": MAX_JSON_DEPTH}) from exc
        except ValueError as exc:
            raise ParseError(_("JSON 格式错误：%(e)s") % {"e": exc}) from exc
        if json_depth(value) > MAX_JSON_DEPTH:
            raise ParseError(_("JSON 嵌套层数过多（最多 %(n)d 层）。") % {"n": MAX_JSON_DEPTH})
        return value

"""Parts that higher apps add to the public city statistics (page and open-data API) without the statistics'
home knowing them: each app registers, in its AppConfig.ready(), a key, a provider of aggregates (no personal
data), the partial that shows them and the serializer that publishes them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class StatisticsPart:
    key: str
    provider: Callable[[], Any]
    template: str
    serializer: Any  # a DRF Serializer class for the API
    order: int = 100


_parts: dict[str, StatisticsPart] = {}


def register(part: StatisticsPart) -> StatisticsPart:
    _parts[part.key] = part
    return part


def parts() -> list[StatisticsPart]:
    return sorted(_parts.values(), key=lambda p: p.order)


def collect() -> list[tuple[StatisticsPart, Any]]:
    """Each registered part with its figures (each provider runs a fixed handful of queries)."""
    return [(part, part.provider()) for part in parts()]

"""What needs a user's attention on their home page.

Each app registers providers in its AppConfig.ready(); a provider takes the user and returns sections
(or nothing). directory knows no other app: they come to it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class AttentionItem:
    title: str
    url: str = ""
    detail: str = ""


@dataclass
class AttentionSection:
    title: str
    items: list[AttentionItem] = field(default_factory=list)
    empty_text: str = ""
    order: int = 100
    # How many there are in all when `items` shows only the first of them (None: items is everything).
    total: int | None = None
    # Where the whole list lives (e.g. a filtered list page); the section's title links there.
    url: str = ""

    @property
    def count(self) -> int:
        return len(self.items) if self.total is None else self.total

    @property
    def not_shown(self) -> int:
        return max(self.count - len(self.items), 0)


Provider = Callable[[object], list[AttentionSection]]
_providers: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _providers:
        _providers.append(provider)
    return provider


def sections_for(user) -> list[AttentionSection]:
    sections: list[AttentionSection] = []
    for provider in _providers:
        sections.extend(provider(user) or [])
    return sorted(sections, key=lambda s: s.order)

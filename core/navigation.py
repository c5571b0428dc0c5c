"""The top navigation: each app registers the links it offers (in AppConfig.ready()); a provider takes the
user (possibly anonymous) and returns (label, url) pairs, asking the app's own permission predicates.
Templates never test roles themselves."""

from __future__ import annotations

from collections.abc import Callable

NavProvider = Callable[[object], list[tuple[str, str]]]
_providers: list[tuple[int, NavProvider]] = []


def register(order: int) -> Callable[[NavProvider], NavProvider]:
    def decorate(fn: NavProvider) -> NavProvider:
        if all(existing is not fn for _order, existing in _providers):
            _providers.append((order, fn))
        return fn

    return decorate


def links_for(user) -> list[tuple[str, str]]:
    links: list[tuple[str, str]] = []
    for _order, provider in sorted(_providers, key=lambda pair: pair[0]):
        links.extend(provider(user) or [])
    return links

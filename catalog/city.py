"""The shipped catalogue editions for `manage.py seed_city` (core.city), loaded as `loadcatalog` loads them."""

from __future__ import annotations

from core.actors import SYSTEM
from core.city import CityContext, register

from .models import ServiceItem
from .services import load_shipped_editions


@register(order=20)
def seed_city_catalog(ctx: CityContext) -> None:
    load_shipped_editions(actor=SYSTEM)
    ctx.count("catalogue items", ServiceItem.objects.count())

"""City-scale findings for `manage.py seed_city` (core.city): the nightly sweep run once over the generated city,
so the findings are the ones the rules K1–K10 find in that data (not invented rows), with their notifications."""

from __future__ import annotations

from core.city import CityContext, register

from .models import Finding
from .services import sweep


@register(order=95)
def seed_city_findings(ctx: CityContext) -> None:
    results = sweep(today=ctx.today)
    failed = [r.rule for r in results if r.error]
    if failed:
        raise RuntimeError(f"compliance checks failed on the generated city: {', '.join(failed)}")
    ctx.count("compliance findings", Finding.objects.count())

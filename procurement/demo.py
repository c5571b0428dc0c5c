"""Procurement demo data for seed_demo (see directory/demo.py)."""

from directory.demo import DemoContext, register

from .services.rounds import rounds_load_shipped


@register(order=20)
def seed_rounds(ctx: DemoContext) -> None:
    for round_ in rounds_load_shipped():
        ctx.lines.append(f"  round {round_.code}: ≥{round_.min_full_time_staff} full-time staff")

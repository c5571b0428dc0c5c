from core.actors import SYSTEM
from core.demo import DemoContext, register

from .services import load_shipped_editions


@register(order=5)
def seed_catalogue(ctx: DemoContext) -> None:
    for edition, _created in load_shipped_editions(actor=SYSTEM):
        ctx.lines.append(f"  catalogue {edition.code}: {edition.items.count()} sub-items")

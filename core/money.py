"""Money and percentages (F5): Decimal CNY with two places, never float."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.core.validators import MaxValueValidator, MinValueValidator

# Keyword arguments of every money DecimalField: up to 999,999,999,999.99 CNY.
MONEY = {"max_digits": 14, "decimal_places": 2}
# Validators of a percentage field (0–100).
PERCENT = [MinValueValidator(Decimal("0")), MaxValueValidator(Decimal("100"))]
CENT = Decimal("0.01")


def cents(value: Decimal) -> Decimal:
    """Round to the cent, half up (the way the finance office rounds)."""
    return value.quantize(CENT, ROUND_HALF_UP)

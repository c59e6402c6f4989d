"""Money arithmetic in one place: Decimal, 2 places, rounded half-up (DESIGN §13)."""

from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")
ZERO = Decimal("0.00")


def cents(value) -> Decimal:
    """Round to the cent, half-up (2.345 → 2.35)."""
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    return cents(Decimal(amount) * Decimal(percent) / Decimal(100))


def fmt(amount: Decimal) -> str:
    """Dot decimals, two places, no grouping: documents print the figures exactly as the JSON gives them."""
    return f"{cents(amount):.2f}"

"""Billing units (DESIGN §12): an item's quantity follows its teeth. This is the one rule; the
services apply it to every item written (page, API, remake, demo), so prices are quantity × unit
price everywhere."""

from cases.models import BillingUnit, ProductCategory

UPPER_QUADRANTS = frozenset({1, 2, 5, 6})


def arches_touched(teeth) -> int:
    """How many arches (upper, lower) the FDI teeth are in: 0, 1 or 2."""
    return len({"upper" if tooth // 10 in UPPER_QUADRANTS else "lower" for tooth in teeth})


def item_quantity(unit: str, teeth, given: int | None = None) -> int:
    """Per tooth: the number of teeth; per arch: the arches touched; per case: what was given
    (1 by default). Without teeth, what was given (at least 1)."""
    given = given if given and given > 0 else 1
    if unit == BillingUnit.TOOTH and teeth:
        return len(set(teeth))
    if unit == BillingUnit.ARCH and teeth:
        return arches_touched(teeth)
    return given


def default_unit(category: str, name: str) -> str:
    """A sensible unit for a product from its category and name (the price list's own "per arch",
    "per tooth", "(pair)" win). Used by the demo price list; migration cases 0005 has a frozen copy."""
    lowered = name.lower()
    if "per arch" in lowered:
        return BillingUnit.ARCH
    if any(word in lowered for word in ("per tooth", "per unit", "per implant")):
        return BillingUnit.TOOTH
    if "pair" in lowered:
        return BillingUnit.CASE
    if category in (ProductCategory.CROWN_BRIDGE, ProductCategory.IMPLANT):
        return BillingUnit.TOOTH
    if category == ProductCategory.REMOVABLE:
        return BillingUnit.CASE if "repair" in lowered else BillingUnit.ARCH
    if category == ProductCategory.ORTHODONTIC:
        return BillingUnit.ARCH
    return BillingUnit.CASE

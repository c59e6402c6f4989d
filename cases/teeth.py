"""Teeth in FDI / ISO 3950 two-digit notation, shown in the lab's chosen system.

Permanent teeth: quadrants 1-4, positions 1-8 (11-18, 21-28, 31-38, 41-48).
Primary teeth: quadrants 5-8, positions 1-5 (51-55, 61-65, 71-75, 81-85).
Universal numbering: permanent 1-32 from the upper right third molar round to the lower right
third molar; primary A-T in the same order.
"""

from django.core.exceptions import ValidationError

PERMANENT = tuple(q * 10 + p for q in (1, 2, 3, 4) for p in range(1, 9))
PRIMARY = tuple(q * 10 + p for q in (5, 6, 7, 8) for p in range(1, 6))
ALL_TEETH = frozenset(PERMANENT + PRIMARY)

# Arch order as seen facing the patient: upper right → upper left, lower left → lower right.
UPPER_PERMANENT = [18, 17, 16, 15, 14, 13, 12, 11, 21, 22, 23, 24, 25, 26, 27, 28]
LOWER_PERMANENT = [48, 47, 46, 45, 44, 43, 42, 41, 31, 32, 33, 34, 35, 36, 37, 38]
UPPER_PRIMARY = [55, 54, 53, 52, 51, 61, 62, 63, 64, 65]
LOWER_PRIMARY = [85, 84, 83, 82, 81, 71, 72, 73, 74, 75]

_UNIVERSAL = {}
for _index, _tooth in enumerate(UPPER_PERMANENT):
    _UNIVERSAL[_tooth] = str(_index + 1)
for _index, _tooth in enumerate(reversed(LOWER_PERMANENT)):
    _UNIVERSAL[_tooth] = str(_index + 17)
for _index, _tooth in enumerate(UPPER_PRIMARY):
    _UNIVERSAL[_tooth] = "ABCDEFGHIJ"[_index]
for _index, _tooth in enumerate(reversed(LOWER_PRIMARY)):
    _UNIVERSAL[_tooth] = "KLMNOPQRST"[_index]

NOTATION_FDI = "fdi"
NOTATION_UNIVERSAL = "universal"


def validate_teeth(value) -> list[int]:
    """Return the teeth as a sorted list of unique FDI numbers, or raise a clear ValidationError."""
    if value in (None, "", []):
        raise ValidationError("Choose at least one tooth.", code="required")
    if isinstance(value, str):
        value = [part for part in value.replace(";", ",").replace(" ", ",").split(",") if part]
    if not isinstance(value, (list, tuple)):
        raise ValidationError("Teeth must be a list of FDI tooth numbers such as [11, 21].", code="invalid")
    teeth = []
    for raw in value:
        try:
            tooth = int(str(raw).strip())
        except (TypeError, ValueError):
            raise ValidationError(f"{raw!r} is not a tooth number.", code="invalid") from None
        if tooth not in ALL_TEETH:
            raise ValidationError(
                f"{tooth} is not a valid FDI tooth number (11-48 permanent, 51-85 primary).", code="invalid"
            )
        teeth.append(tooth)
    return sorted(set(teeth))


def tooth_label(tooth: int, notation: str = NOTATION_FDI) -> str:
    if notation == NOTATION_UNIVERSAL:
        return _UNIVERSAL[tooth]
    return str(tooth)


def teeth_label(teeth, notation: str = NOTATION_FDI) -> str:
    return ", ".join(tooth_label(tooth, notation) for tooth in teeth or [])

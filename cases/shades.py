"""Shade guides: VITA classical (A1-D4) and VITA 3D-Master, with "Other: …" as an escape."""

from django.core.exceptions import ValidationError

VITA_CLASSICAL = (
    "A1", "A2", "A3", "A3.5", "A4", "B1", "B2", "B3", "B4", "C1", "C2", "C3", "C4", "D2", "D3", "D4",
)  # fmt: skip
VITA_3D_MASTER = (
    "0M1", "0M2", "0M3", "1M1", "1M2",
    "2L1.5", "2L2.5", "2M1", "2M2", "2M3", "2R1.5", "2R2.5",
    "3L1.5", "3L2.5", "3M1", "3M2", "3M3", "3R1.5", "3R2.5",
    "4L1.5", "4L2.5", "4M1", "4M2", "4M3", "4R1.5", "4R2.5",
    "5M1", "5M2", "5M3",
)  # fmt: skip
OTHER_PREFIX = "Other: "
_CANONICAL = {shade.upper(): shade for shade in VITA_CLASSICAL + VITA_3D_MASTER}


def normalize_shade(value: str) -> str:
    """The canonical spelling of a shade, "" for none, or a ValidationError naming the problem."""
    value = (value or "").strip()
    if not value:
        return ""
    canonical = _CANONICAL.get(value.upper())
    if canonical:
        return canonical
    if value.lower().startswith("other:"):
        text = value.split(":", 1)[1].strip()
        if not text:
            raise ValidationError("Describe the shade after “Other:”.", code="invalid")
        if len(text) > 40:
            raise ValidationError("Keep the shade description under 40 characters.", code="invalid")
        return OTHER_PREFIX + text
    raise ValidationError(
        f"“{value}” is not a VITA classical (A1–D4) or 3D-Master (e.g. 2M2) shade. For anything else write “Other: …”.",
        code="invalid",
    )


def validate_shade(value: str) -> None:
    normalize_shade(value)

"""Numbers that must never repeat or skip: case numbers, invoices, credit notes (STYLE 14).

Backed by django-sequences: one row per sequence name, incremented by an atomic UPSERT in the
caller's transaction. Two transactions asking at once are serialised on that row; a transaction
that rolls back gives its number back, so the numbers that exist are gap-free.
"""

from django.utils import timezone
from sequences import get_next_value


def next_number(prefix: str, *, year: int | None = None, width: int = 5) -> str:
    """The next number of `prefix`'s yearly sequence: next_number("INV") → "INV-2026-00001";
    an empty prefix gives "2026-00042" (case numbers). Call it inside the transaction that stores
    the number, so a rollback gives the number back."""
    year = year or timezone.localdate().year
    value = get_next_value(sequence_name(prefix, year))
    number = f"{year}-{value:0{width}d}"
    return f"{prefix}-{number}" if prefix else number


def sequence_name(prefix: str, year: int) -> str:
    """The django-sequences row behind `next_number(prefix, year=year)` (bench fillers set it)."""
    return f"{prefix or 'case'}-{year}"

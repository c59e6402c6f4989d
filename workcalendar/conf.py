"""The working calendar's settings, read and checked once at start (an unknown country refuses to
start rather than silently treating every weekday as a working day)."""

from functools import lru_cache

import holidays
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

ISO_WEEKDAYS = range(1, 8)  # 1 = Monday … 7 = Sunday


def country() -> str:
    return (settings.LAB_HOLIDAYS_COUNTRY or "").strip().upper()


def subdiv() -> str | None:
    return (settings.LAB_HOLIDAYS_SUBDIV or "").strip() or None


def working_weekdays() -> frozenset[int]:
    """Python weekday numbers (0 = Monday) of the lab's working days."""
    return _parse_weekdays(str(settings.LAB_WORKING_WEEKDAYS))


@lru_cache(maxsize=16)
def _parse_weekdays(raw: str) -> frozenset[int]:
    days = set()
    for part in raw.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            value = int(part)
        except ValueError:
            value = 0
        if value not in ISO_WEEKDAYS:
            raise ImproperlyConfigured(
                f"LAB_WORKING_WEEKDAYS must list ISO weekdays 1 (Monday) to 7 (Sunday), e.g. 1,2,3,4,5; got {raw!r}"
            )
        days.add(value - 1)
    if not days:
        raise ImproperlyConfigured("LAB_WORKING_WEEKDAYS names no working day.")
    return frozenset(days)


@lru_cache(maxsize=16)
def public_holidays(country_code: str, subdivision: str | None) -> holidays.HolidayBase:
    """The holidays calendar (years are filled in on demand by the package)."""
    try:
        return holidays.country_holidays(country_code, subdiv=subdivision)
    except NotImplementedError as exc:
        raise ImproperlyConfigured(
            f"LAB_HOLIDAYS_COUNTRY / LAB_HOLIDAYS_SUBDIV: {exc} (see the `holidays` package's supported countries)."
        ) from None


def validate_settings() -> None:
    """Raise ImproperlyConfigured on an unknown country or subdivision or bad weekdays."""
    if not country():
        raise ImproperlyConfigured("LAB_HOLIDAYS_COUNTRY must be an ISO 3166 country code such as US or GB.")
    public_holidays(country(), subdiv())
    working_weekdays()

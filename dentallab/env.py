"""Typed readers for settings that come from the environment.

Each one fails loudly (ImproperlyConfigured, naming the variable) on a value it cannot read or that
makes no sense (a negative size, a zero timeout), instead of guessing: the app refuses to start.
"""

import os
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = "") -> str:
    """A string; `NAME_FILE` (a Docker secret's path) is read when `NAME` is unset."""
    value = os.environ.get(name)
    if value is None and os.environ.get(f"{name}_FILE"):
        with open(os.environ[f"{name}_FILE"], encoding="utf-8") as fh:
            value = fh.read().strip()
    return default if value is None else value


def env_bool(name: str, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be one of 1/0, true/false, yes/no, on/off; got {raw!r}")


def _in_range(name: str, value, raw: str, min_value, max_value):
    if min_value is not None and value < min_value:
        bound = f"between {min_value} and {max_value}" if max_value is not None else f"at least {min_value}"
        raise ImproperlyConfigured(f"{name} must be {bound}; got {raw!r}")
    if max_value is not None and value > max_value:
        bound = f"between {min_value} and {max_value}" if min_value is not None else f"at most {max_value}"
        raise ImproperlyConfigured(f"{name} must be {bound}; got {raw!r}")
    return value


def env_int(name: str, default: int, *, min_value: int | None = None, max_value: int | None = None) -> int:
    """An integer, refused outside [min_value, max_value] (the default is trusted)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be an integer; got {raw!r}") from None
    return _in_range(name, value, raw, min_value, max_value)


def env_decimal(name: str, default: str, *, min_value=None, max_value=None, places: int = 2) -> Decimal:
    """A decimal (money, percentages), refused outside [min_value, max_value], rounded to `places`."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        raw = default
    try:
        value = Decimal(raw.strip())
    except InvalidOperation:
        raise ImproperlyConfigured(f"{name} must be a number such as 7.5; got {raw!r}") from None
    if not value.is_finite():
        raise ImproperlyConfigured(f"{name} must be a finite number; got {raw!r}")
    _in_range(name, value, raw, min_value, max_value)
    return value.quantize(Decimal(1).scaleb(-places))


def env_float(name: str, default: float, *, min_value: float | None = None, max_value: float | None = None) -> float:
    """A number, refused outside [min_value, max_value] (and when not finite)."""
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        return default
    try:
        value = float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a number; got {raw!r}") from None
    if value != value or value in (float("inf"), float("-inf")):
        raise ImproperlyConfigured(f"{name} must be a finite number; got {raw!r}")
    return _in_range(name, value, raw, min_value, max_value)


def env_choice(name: str, default: str, choices: tuple[str, ...]) -> str:
    """One of `choices` (case-insensitive, returned in lower case)."""
    value = env_str(name, default).strip().lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}; got {value!r}")
    return value


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return list(default or [])
    return [item.strip() for item in raw.split(",") if item.strip()]

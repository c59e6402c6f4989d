"""Lab-wide case counts kept for a few seconds in the shared cache (Redis or the database cache),
so the dashboard and unfiltered lists do not count 100,000 rows on every request.

Figures are shared by everyone with the same view of the cases: all lab staff share one entry,
the dentists of a practice share another. They are at most CASE_COUNT_CACHE_SECONDS old (5 s by
default; 0 turns the cache off, as the test settings do): a case created or moved shows up in
these counts within that time, while the lists themselves are always read fresh. Nothing is
invalidated on write on purpose: under load, status moves happen several times a second and
would empty the entry before anyone reused it.

The shared entry holds the figures and the time they stop being valid. Each process keeps a copy
of the entry it read until that time — never longer, so every process shows the same figures, at
most CASE_COUNT_CACHE_SECONDS old, as before — and reads the shared cache (a query, with the
database cache) once per entry in that time instead of on every request.
"""

import time
from collections.abc import Callable

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import cached_property

# Parameters that do not change which cases a list holds (only their order or the page shown).
UNFILTERED_PARAMS = frozenset({"page", "page_size", "ordering"})


def cache_seconds() -> int:
    return settings.CASE_COUNT_CACHE_SECONDS


def scope(user) -> str:
    """Who sees the same cases: the whole lab, or one practice."""
    if user.is_lab_staff:
        return "lab"
    return f"practice-{user.practice_id}"


# This process's copies of shared entries: key → (figures, valid until time.time()).
_copies: dict[str, tuple[object, float]] = {}
_MAX_COPIES = 1_000  # one per scope and figure: the lab's, and each practice's


@receiver(setting_changed)
def _forget_copies(*, setting, **kwargs):
    if setting == "CASE_COUNT_CACHE_SECONDS":
        _copies.clear()


def cached(name: str, user, compute: Callable):
    """`compute()` for this user's scope, shared for cache_seconds() through the cache."""
    seconds = cache_seconds()
    if seconds <= 0:
        return compute()
    key = f"cases:v2:{name}:{scope(user)}"  # v2: the entry is (figures, valid until)
    now = time.time()
    entry = _copies.get(key)
    if entry is not None and entry[1] > now:
        return entry[0]
    entry = cache.get(key)
    if entry is None:
        entry = (compute(), now + seconds)
        cache.set(key, entry, seconds)
    if len(_copies) >= _MAX_COPIES:
        _copies.clear()
    _copies[key] = entry
    return entry[0]


def is_unfiltered(params) -> bool:
    return set(params.keys()) <= UNFILTERED_PARAMS


class CachedCountPaginator(Paginator):
    """A Paginator whose `count` (a COUNT(*) over every visible case) comes from the cache when
    the list is unfiltered; filtered lists are counted every time."""

    def __init__(self, *args, user=None, params=None, rows: Callable[[int, int], list] | None = None, **kwargs):
        """`rows(offset, limit)`, when given, reads a page's rows instead of slicing the queryset (a
        compiled query of the same rows: cases.selectors.plain_list_rows); the queryset is then
        only counted, and may be a lazy object that builds it on that first use."""
        self._count_scope = user if user is not None and params is not None and is_unfiltered(params) else None
        self._rows = rows
        super().__init__(*args, **kwargs)

    def _check_object_list_is_ordered(self):
        if self._rows is None:  # the compiled rows are ordered; the queryset need not be built
            super()._check_object_list_is_ordered()

    def page(self, number):
        if self._rows is None:
            return super().page(number)
        number = self.validate_number(number)
        return self._get_page(self._rows((number - 1) * self.per_page, self.per_page), number, self)

    @cached_property
    def count(self):
        if self._count_scope is None:
            return super().count
        return cached("count", self._count_scope, lambda: Paginator.count.func(self))

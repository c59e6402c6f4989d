"""Querysets compiled to SQL once per process, then run again with other values.

Turning a queryset into SQL (filters, joins, the select list, the ordering) is most of the CPU
an ORM query costs here — 0.3 ms for a one-table lookup, 1 ms for a case with three joins, when
the database answers in a tenth of that (docs/performance.md, "Issue 10, fourth pass"). Hot reads
that every page or every case page runs — the session, the bell, a case with its joins — are
written as a `CompiledQuery`: a function that builds the queryset from its values, compiled the
first time with stand-in values (markers) that are then swapped for the real ones:

    _CASE = CompiledQuery(lambda variant, pk: Case.objects.select_related("practice").filter(pk=pk))
    case = _CASE.get(pk)

Rules, checked where they can be:
- Values are the parameters that change from call to call: int, str, date, datetime or UUID,
  passed to exact lookups (`pk=`, `case=`, `created_at__gt=`…) so they reach the SQL unchanged.
  The query is compiled twice with two sets of markers; the parameters that differ must be
  exactly the markers. A value the ORM transforms (`__icontains`, `__year`, a slice) or that
  changes the SQL (an `IN` list, an out-of-range integer) fails that check: the query then
  simply runs through the ORM every time. A value the query does not use is fine.
- Anything else that changes the SQL's shape (a role, a flag, None) goes in `variant`, which
  must be hashable and take few values (each variant is compiled once; past `max_variants` the
  extra ones run through the ORM).
- The result is a list, an object or a count, never a queryset: a compiled queryset filtered
  further would silently keep its old SQL.

The rows become model instances exactly as the ORM makes them (Django's own iterable, select
related objects, prefetch lookups and converters). With COMPILED_QUERY_CHECKS on (the test
suite), every compiled call first checks that the SQL and parameters it sends are exactly those
the ORM compiles for the same values; tests/dentallab/test_compiled.py tests the mechanism.
"""

import copy
import datetime
import itertools
import threading
import uuid
from collections.abc import Callable, Hashable
from typing import Any

from django.conf import settings
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import QuerySet

_marker_numbers = itertools.count(1)


def _marker(value):
    """A stand-in for `value` of the same type that no real query would ever use."""
    n = next(_marker_numbers)
    if isinstance(value, bool) or value is None:
        raise TypeError("True, False and None change the SQL itself: pass them in `variant`.")
    if isinstance(value, int):
        # Inside a 32-bit integer's range: Django compiles an out-of-range value as "no rows".
        return 1_987_654_321 - n * 7_919
    if isinstance(value, str):
        return f"\x1fcompiled-query-marker-{n}\x1f"
    if isinstance(value, datetime.datetime):
        return datetime.datetime(1901, 2, 3, 4, 5, 6, n % 1_000_000, tzinfo=value.tzinfo)
    if isinstance(value, datetime.date):
        return datetime.date(1001, 1, 1) + datetime.timedelta(days=n % 300_000)
    if isinstance(value, uuid.UUID):
        return uuid.UUID(int=0xC0FFEE << 100 | n)
    raise TypeError(f"A compiled query cannot take a {type(value).__name__} value: pass it in `variant`.")


def _slots(markers_a, markers_b, compiled_a, compiled_b) -> list[list[int]] | None:
    """Where each value goes in the SQL's parameters, from the same query compiled with two sets
    of markers; None when the two differ in any other way (a value changed the SQL itself, or the
    ORM transformed it on its way to a parameter: it cannot be swapped in afterwards)."""
    (sql, params_a), (sql_b, params_b) = compiled_a, compiled_b
    if sql != sql_b or len(params_a) != len(params_b):
        return None
    if any(str(marker) in sql for marker in (*markers_a, *markers_b)):
        return None
    slots: list[list[int]] = [[] for _ in markers_a]
    for i, (a, b) in enumerate(zip(params_a, params_b, strict=True)):
        if type(a) is type(b) and a == b:
            continue  # a constant of the query
        for n, (marker_a, marker_b) in enumerate(zip(markers_a, markers_b, strict=True)):
            if type(a) is type(marker_a) and a == marker_a and type(b) is type(marker_b) and b == marker_b:
                slots[n].append(i)
                break
        else:
            return None
    return slots


class _Rows:
    """A compiled select: the template queryset and its compiler, ready to be run again."""

    __slots__ = ("queryset", "compiler", "sql", "params", "slots", "converters")

    def run(self, values) -> list:
        params = _bind(self.params, self.slots, values)
        compiler = copy.copy(self.compiler)
        compiler.connection = connections[compiler.using]  # this thread's connection
        compiler.as_sql = lambda *args, **kwargs: (self.sql, params)
        # The same columns every time, so the same converters (fields' from_db_value and the
        # backend's, which depend on the database alias and the settings, not on one connection).
        compiler.get_converters = lambda expressions: self.converters
        queryset = self.queryset._chain()
        # Only this throwaway clone answers with the compiled SQL; it never leaves this method.
        queryset.query.get_compiler = lambda *args, **kwargs: compiler
        return list(queryset)


class _Count:
    __slots__ = ("using", "sql", "params", "slots")

    def run(self, values) -> int:
        with connections[self.using].cursor() as cursor:
            cursor.execute(self.sql, _bind(self.params, self.slots, values))
            row = cursor.fetchone()
        return row[0] if row else 0


def _bind(params, slots, values) -> tuple:
    params = list(params)
    for positions, value in zip(slots, values, strict=True):
        for i in positions:
            params[i] = value
    return tuple(params)


def _compile_rows(build, variant, markers_a, markers_b) -> _Rows | None:
    queryset = build(variant, *markers_a)
    compiler = queryset.query.get_compiler(using=queryset.db)
    sql, params = compiler.as_sql()  # also fills compiler.select, klass_info…, as execute_sql would
    other = build(variant, *markers_b)
    slots = _slots(markers_a, markers_b, (sql, params), other.query.get_compiler(using=other.db).as_sql())
    if slots is None:
        return None
    plan = _Rows()
    plan.queryset, plan.compiler, plan.sql, plan.params, plan.slots = queryset, compiler, sql, tuple(params), slots
    plan.converters = compiler.get_converters([column[0] for column in compiler.select[: compiler.col_count]])
    return plan


def _compile_count(build, variant, markers_a, markers_b) -> _Count | None:
    queryset = build(variant, *markers_a)
    compiled_a, compiled_b = _count_sql(queryset), _count_sql(build(variant, *markers_b))
    if compiled_a is None or compiled_b is None:
        return None
    slots = _slots(markers_a, markers_b, compiled_a, compiled_b)
    if slots is None:
        return None
    plan = _Count()
    plan.using, plan.sql, plan.params, plan.slots = queryset.db, compiled_a[0], tuple(compiled_a[1]), slots
    return plan


def _rows_sql(queryset: QuerySet):
    try:
        return queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return None


def _count_sql(queryset: QuerySet):
    """The SQL `queryset.count()` would run, taken from the compiler without running it."""
    captured = []

    class CapturingQuery(type(queryset.query)):
        def get_compiler(self, using=None, connection=None, elide_empty=True):
            compiler = super().get_compiler(using, connection, elide_empty)

            def execute_sql(*args, **kwargs):
                captured.append(compiler.as_sql())
                return None  # "no row": count() answers its empty result, nothing is sent

            compiler.execute_sql = execute_sql
            return compiler

    query = queryset.query.chain()
    if query.is_sliced or query.distinct or query.combinator or query.annotations:
        return None  # Django would count over a subquery of another class, which this cannot stop
    query.__class__ = CapturingQuery
    query.get_count(using=queryset.db)
    return captured[0] if len(captured) == 1 else None


_INT32 = range(-(2**31), 2**31)


def _sendable(values) -> bool:
    """Whether `values` can go into compiled SQL as they are. The markers were 32-bit integers, so
    any 32-bit value fits the column; a larger one may not (the ORM answers "no rows" for a value
    out of the column's range, where PostgreSQL would raise): those calls take the ORM's path."""
    return all(value in _INT32 for value in values if type(value) is int)


class CompiledQuery:
    """`build(variant, *values) -> QuerySet`, compiled once per variant and value types."""

    def __init__(self, build: Callable[..., QuerySet], *, max_variants: int = 64):
        self.build = build
        self.max_variants = max_variants
        self._plans: dict[tuple, Any] = {}
        self._lock = threading.Lock()

    def _plan(self, kind: str, variant: Hashable, values: tuple):
        if not _sendable(values):
            return None
        key = (kind, variant, *map(type, values))
        try:
            return self._plans[key]
        except KeyError:
            pass
        if len(self._plans) >= self.max_variants:
            return None
        markers_a, markers_b = [_marker(value) for value in values], [_marker(value) for value in values]
        try:
            plan = (_compile_count if kind == "count" else _compile_rows)(self.build, variant, markers_a, markers_b)
        except (EmptyResultSet, TypeError, ValueError):
            # .none(), or a marker the field refuses (a str for an integer id): the ORM answers.
            plan = None
        with self._lock:
            self._plans.setdefault(key, plan)
        return plan

    def list(self, *values, variant: Hashable = None) -> list:
        plan = self._plan("rows", variant, values)
        if plan is None:
            return list(self.build(variant, *values))
        if settings.COMPILED_QUERY_CHECKS:
            self._check(plan, values, _rows_sql(self.build(variant, *values)))
        return plan.run(values)

    def first(self, *values, variant: Hashable = None):
        """The first row or None (the query itself must order and limit: `[:1]`)."""
        rows = self.list(*values, variant=variant)
        return rows[0] if rows else None

    def get(self, *values, variant: Hashable = None):
        """The one row of a unique lookup; the model's DoesNotExist when there is none."""
        rows = self.list(*values, variant=variant)
        if len(rows) == 1:
            return rows[0]
        model = self.build(variant, *values).model
        if not rows:
            raise model.DoesNotExist(f"{model._meta.object_name} matching query does not exist.")
        raise model.MultipleObjectsReturned(f"get() returned more than one {model._meta.object_name}.")

    def count(self, *values, variant: Hashable = None) -> int:
        plan = self._plan("count", variant, values)
        if plan is None:
            return self.build(variant, *values).count()
        if settings.COMPILED_QUERY_CHECKS:
            self._check(plan, values, _count_sql(self.build(variant, *values)))
        return plan.run(values)

    @staticmethod
    def _check(plan, values, orm_sql) -> None:
        """COMPILED_QUERY_CHECKS (the test suite): the SQL and parameters about to be sent must be
        exactly those the ORM compiles for these values."""
        sent = (plan.sql, _bind(plan.params, plan.slots, values))
        orm = (orm_sql[0], tuple(orm_sql[1])) if orm_sql else None
        if sent != orm:
            raise AssertionError(f"Compiled query differs from the ORM's: {sent!r} != {orm!r}")

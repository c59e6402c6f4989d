"""Reads of cases that span relations, so visibility and N+1 fixes live in one place. Pages and
the API call these; they never build case querysets of their own.

Every selector starts from `Case.objects.visible_to(user)`: objects a user may not see do not
exist for them (404), whatever the parameters.
"""

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db.models import Case as DbCase
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from accounts.models import Role
from accounts.policy import VisibleQuery
from cases import counts as case_counts
from cases import policy
from cases.exceptions import CaseNotEditable
from cases.filters import CaseFilter
from cases.models import FINISHED_STATUSES, Case, CaseItem, Priority, Product, Status, TimelineEvent, late_q
from dentallab.compiled import CompiledQuery
from workcalendar.calendar import lab_today

DASHBOARD_LIST_SIZE = 10
NEXT_DAYS = 7  # "next 7 days": today and the six days after it (never "this week", empty on a Sunday)


def visible_cases(user) -> QuerySet[Case]:
    return Case.objects.visible_to(user)


# A list row shows the case's own columns and only the names of the people and the practice
# joined to it: loading their other columns (addresses, password hashes...) for every row was a
# good part of a list's CPU (model instances with a dozen fields each).
_CASE_COLUMNS = tuple(f.name for f in Case._meta.concrete_fields)
_REF_NAMES = ("practice__name", "dentist__name", "assigned_technician__name")


def only_list_columns(queryset: QuerySet[Case]) -> QuerySet[Case]:
    """`queryset` (with _with_list_details' joins) loading only what lists show of the joins."""
    return queryset.only(*_CASE_COLUMNS, *_REF_NAMES, "remake_of__number")


# What a row of the case list page shows (cases/rows.py): read as named tuples, not model
# instances, which for 25-100 rows with three joined names cost more than the query.
LIST_ROW_FIELDS = (
    "pk",
    "number",
    "patient_name",
    "pan_number",
    "status",
    "priority",
    "due_date",
    "ship_by",
    "practice__name",
    "dentist__name",
    "assigned_technician__name",
)


def list_row_values(queryset: QuerySet[Case]) -> QuerySet:
    """`queryset` (a case_filter's, filtered and ordered) as the list page's rows."""
    return queryset.prefetch_related(None).values_list(*LIST_ROW_FIELDS, named=True)


# A page's item lines: compiled once per number of cases on a page (an IN list of that length).
_ITEM_LINES = CompiledQuery(
    lambda count, *case_ids: (
        CaseItem.objects.filter(case_id__in=case_ids)
        .order_by("id")
        .values_list("case_id", "product__name", "quantity", "teeth")
    ),
    max_variants=128,
)


def item_lines(case_ids) -> dict[int, list[tuple[str, int, list[int]]]]:
    """{case id: [(product name, quantity, teeth), …]} in line order, for cases of a list the
    caller has already read through visible_cases (one query)."""
    lines: dict[int, list] = {}
    case_ids = list(case_ids)
    for case_id, name, quantity, teeth in _ITEM_LINES.list(*case_ids, variant=len(case_ids)):
        lines.setdefault(case_id, []).append((name, quantity, teeth))
    return lines


def _page(queryset: QuerySet, shape: tuple[int, int]) -> QuerySet:
    offset, limit = shape
    return queryset[offset : offset + limit]


# The rows of a plain list (no filter, search or ordering: the list most requests ask for),
# compiled once per page position (LIMIT and OFFSET are written into the SQL).
_PLAIN_LIST_ROWS = VisibleQuery(
    lambda user, shape: _page(list_row_values(_with_list_details(visible_cases(user))), shape), max_variants=256
)
_PLAIN_API_ROWS = VisibleQuery(lambda user, shape: _page(_api_cases(user), shape), max_variants=256)


def plain_list_rows(user, params, *, api: bool = False) -> Callable[[int, int], list] | None:
    """For cases.counts.CachedCountPaginator: `rows(offset, limit)` of the list page (named
    tuples) or of the API (cases with `item_list`) when `params` ask for a plain list, else None
    (the paginator slices the filtered queryset)."""
    if params.keys() & CaseFilter.base_filters.keys():
        return None
    if api:
        return lambda offset, limit: with_item_list(_PLAIN_API_ROWS.list(user, shape=(offset, limit)))
    return lambda offset, limit: _PLAIN_LIST_ROWS.list(user, shape=(offset, limit))


def _with_list_details(queryset: QuerySet[Case], *, items_to_attr: str | None = None) -> QuerySet[Case]:
    """What a list row shows: practice, dentist, technician, the original of a remake (joined)
    and items with their products (one extra query for the whole page), in `case.items` or, with
    `items_to_attr`, as a plain list in that attribute."""
    return queryset.select_related("practice", "dentist", "assigned_technician", "remake_of").prefetch_related(
        Prefetch("items", queryset=CaseItem.objects.select_related("product").order_by("id"), to_attr=items_to_attr)
    )


def case_filter(user, params, *, request=None, items_to_attr: str | None = None) -> CaseFilter:
    """The bound filterset over the cases this user may see (for pages that render its form).

    `filterset.is_valid()` is False when a parameter is invalid; `filterset.form.errors` then
    names the field. `filterset.qs` is the filtered, ordered queryset with list details."""
    if request is None:
        request = _RequestStub(user)
    cases = _with_list_details(visible_cases(user), items_to_attr=items_to_attr)
    return CaseFilter(params, queryset=cases, request=request)


def case_list(user, params=None, *, request=None, items_to_attr: str | None = None) -> QuerySet[Case]:
    """The cases this user may see, filtered, searched and ordered by `params` (a QueryDict or
    dict with the CaseFilter parameters). Raises ValidationError({field: [messages]}) when a
    parameter is invalid, so the API answers 400 naming the field."""
    params = params or {}
    if not params.keys() & CaseFilter.base_filters.keys():
        # No filter, search or ordering asked for (a plain list, perhaps paged): the filterset
        # would return the queryset as it is, after building its filters and form (most of
        # the CPU of an unfiltered API list's queryset).
        return _with_list_details(visible_cases(user), items_to_attr=items_to_attr)
    filterset = case_filter(user, params, request=request, items_to_attr=items_to_attr)
    if not filterset.is_valid():
        raise ValidationError(
            {name: [str(message) for message in messages] for name, messages in filterset.errors.items()}
        )
    return filterset.qs


def get_case_for(user, pk, *, queryset: QuerySet[Case] | None = None) -> Case:
    """The case to read: 404 when it does not exist or this user may not see it (never 403:
    existence is not revealed). `queryset` adds the joins the caller needs."""
    queryset = Case.objects.all() if queryset is None else queryset
    return get_object_or_404(queryset.visible_to(user), pk=pk)


def get_case_for_write(user, pk, *, queryset: QuerySet[Case] | None = None) -> Case:
    """The case to edit: 404 when this user may not see it, 403 when they may see it but not
    change it now (cases.policy.can_edit_case)."""
    case = get_case_for(user, pk, queryset=queryset)
    if not policy.can_edit_case(user, case):
        raise CaseNotEditable(policy.edit_refusal(user, case))
    return case


_CASE_PAGE = VisibleQuery(
    lambda user, pk: (
        _with_list_details(Case.objects.select_related("created_by"))
        .prefetch_related(None)
        .visible_to(user)
        .filter(pk=pk)
        .annotate(has_remakes=Exists(Case.objects.filter(remake_of=OuterRef("pk"))))
    )
)


def case_detail(user, pk) -> Case:
    """One case with what its page shows, its items with their products in `case.item_list`
    (as get_case_for: 404 when not visible)."""
    case = _CASE_PAGE.first(user, int(pk))
    if case is None:
        raise Http404("No case matches the given query.")
    return with_item_list([case])[0]


# The API's reads: the cases, filters and joins of the pages, loading only what the JSON shows
# (cases.serializers.CaseSerializer), with each case's items as a plain list in `case.item_list`.
# Prefetching into `case.items` gives every case of a page a queryset of its own to hold its
# rows (a filter() each): a tenth of the CPU of GET /api/cases/.
API_ITEMS = "item_list"


def api_case_list(user, params=None, *, request=None) -> QuerySet[Case]:
    """case_list for the API (same filters, same ValidationError), items in `case.item_list`."""
    return only_list_columns(case_list(user, params, request=request, items_to_attr=API_ITEMS))


def _api_cases(user) -> QuerySet[Case]:
    """What the API shows of cases, without the items (with_item_list adds them)."""
    return only_list_columns(_with_list_details(visible_cases(user))).prefetch_related(None)


_API_CASE = VisibleQuery(lambda user, pk: _api_cases(user).filter(pk=pk))


def api_case_detail(user, pk) -> Case:
    """The case as the API sends it (get_case_for: 404 when not visible), items in `case.item_list`."""
    case = _API_CASE.first(user, int(pk))
    if case is None:
        raise Http404("No case matches the given query.")
    return with_item_list([case])[0]


# Items of the cases of an API page, with their products: compiled once per number of cases.
_ITEMS_OF = CompiledQuery(
    lambda count, *case_ids: CaseItem.objects.filter(case_id__in=case_ids).select_related("product").order_by("id"),
    max_variants=128,
)


def with_item_list(cases: list[Case]) -> list[Case]:
    """`cases`, each given `item_list`: its items with their products, in id order (one query for
    all, as Prefetch(to_attr=API_ITEMS) would)."""
    by_case = {}
    for case in cases:
        case.item_list = by_case[case.pk] = []
    if cases:
        case_of = {case.pk: case for case in cases}
        for item in _ITEMS_OF.list(*case_of, variant=len(case_of)):
            CaseItem.case.field.set_cached_value(item, case_of[item.case_id])
            by_case[item.case_id].append(item)
    return cases


def case_events(user, case: Case) -> QuerySet[TimelineEvent]:
    """The timeline, newest first, without what this user may not see (internal events)."""
    return (
        TimelineEvent.objects.filter(case=case).visible_to(user).select_related("actor").order_by("-created_at", "-id")
    )


_REMAKES = VisibleQuery(
    lambda user, case_pk: Case.objects.filter(remake_of=case_pk).visible_to(user).only("pk", "number", "status")
)


def remakes_of(user, case: Case) -> list[Case]:
    """The remakes of `case` this user may see (number and status), oldest first; no query for a
    case read by case_detail that has none (most cases)."""
    if getattr(case, "has_remakes", True) is False:
        return []
    return _REMAKES.list(user, case.pk)


_TIMELINE = VisibleQuery(lambda user, case_pk: case_events(user, case_pk))


def case_timeline(user, case: Case) -> list[TimelineEvent]:
    """case_events as a list, for the case page."""
    return _TIMELINE.list(user, case.pk)


def hold_reasons(user, cases) -> dict[int, str]:
    """{case id: why it is on hold} for the cases of a list page that are on hold: the note of the
    latest move to on hold this user may see. One query, none when no case is on hold."""
    held = [case.pk for case in cases if case.status == Status.ON_HOLD]
    if not held:
        return {}
    reasons: dict[int, str] = {}
    for case_id, body in _HOLD_NOTES.list(user, *held, shape=len(held)):
        reasons.setdefault(case_id, body)
    return {case_id: body for case_id, body in reasons.items() if body}


# Compiled once per number of held cases on a page (an IN list of that length).
_HOLD_NOTES = VisibleQuery(
    lambda user, *held, shape: (
        TimelineEvent.objects.filter(case_id__in=held, kind="status", to_status=Status.ON_HOLD)
        .visible_to(user)
        .order_by("case_id", "-created_at", "-id")
        .values_list("case_id", "body")
    ),
    max_variants=256,
)


def case_notes(user, case: Case) -> QuerySet[TimelineEvent]:
    return case_events(user, case).filter(kind="note")


def products_for(user, *, include_inactive: bool = False) -> QuerySet[Product]:
    """The price list. Only managers and admins see retired products."""
    products = Product.objects.all()
    if not (include_inactive and getattr(user, "is_manager_or_admin", False)):
        products = products.filter(active=True)
    return products


# ---- dashboard --------------------------------------------------------------------------------


@dataclass
class Dashboard:
    """What the home page shows. Counts come from four aggregate queries; the short lists are lazy
    querysets (one query each when rendered), so the page costs a small constant number of
    queries whatever the size of the lab."""

    counts: dict[str, int]  # every status value → number of visible cases
    late: int
    due_today: int
    due_next_7_days: int
    rush: int
    open: int
    awaiting_approval: int
    drafts: int
    mine_open: int  # dentist: my open cases; lab: open cases assigned to me
    late_cases: list = field(repr=False, default=None)
    due_today_cases: list = field(repr=False, default=None)
    rush_cases: list = field(repr=False, default=None)
    open_cases: list = field(repr=False, default=None)  # dentist: my open cases
    awaiting_approval_cases: list = field(repr=False, default=None)
    # late_cases, then due_today_cases, then rush_cases, each case once, at most
    # DASHBOARD_LIST_SIZE: the three lists in one query
    urgent_cases: list = field(repr=False, default=None)
    # Shipped, waiting for the dentist's "Confirm delivery" (listed on the dentist's dashboard).
    awaiting_delivery_cases: list = field(repr=False, default=None)

    @property
    def status_rows(self) -> list[tuple[str, str, int]]:
        """(value, label, count) in lifecycle order, for a table of counts per status."""
        return [(value, label, self.counts.get(value, 0)) for value, label in Status.choices]


def dashboard(user, *, today: datetime.date | None = None) -> Dashboard:
    """Counts per status, late, due today, due in the next 7 days (today and the 6 after it), rush
    and the user's own open cases; for dentists also what awaits approval. "Today" is the lab's
    (workcalendar); `late` follows CaseQuerySet.late() (ship-by passed)."""
    today = today or lab_today()
    week_end = today + datetime.timedelta(days=NEXT_DAYS - 1)
    cases = visible_cases(user)

    def lab_figures() -> dict:
        # Everything that is not finished, in one pass over the small partial index case_open_due
        # (a lab's unfinished cases are a few per cent of its history).
        aggregates = {
            f"status_{value}": Count("pk", filter=Q(status=value))
            for value in Status.values
            if value not in FINISHED_STATUSES
        }
        aggregates.update(
            late=Count("pk", filter=late_q(today)),
            due_today=Count("pk", filter=Q(due_date=today)),
            due_next_7_days=Count("pk", filter=Q(due_date__gte=today, due_date__lte=week_end)),
            rush=Count("pk", filter=_OPEN & Q(priority=Priority.RUSH)),
            open=Count("pk", filter=_OPEN),
        )
        row = cases.filter(_UNFINISHED).aggregate(**aggregates)
        figures = {"counts": {value: row.get(f"status_{value}", 0) for value in Status.values}}
        figures.update({name: row[name] for name in ("late", "due_today", "due_next_7_days", "rush", "open")})
        # Finished cases are most of the table: one index-only count each (status is indexed) is
        # several times faster than grouping 100,000 rows.
        for value in FINISHED_STATUSES:
            figures["counts"][value] = cases.filter(status=value).count()
        return figures

    # Shared by everyone who sees the same cases, for a few seconds (cases/counts.py); the user's
    # own open cases and the short lists are read fresh.
    figures = case_counts.cached(f"dashboard-{today.isoformat()}", user, lab_figures)
    counts = figures["counts"]
    return Dashboard(
        counts=counts,
        late=figures["late"],
        due_today=figures["due_today"],
        due_next_7_days=figures["due_next_7_days"],
        rush=figures["rush"],
        open=figures["open"],
        awaiting_approval=counts[Status.AWAITING_APPROVAL],
        drafts=counts[Status.DRAFT],
        mine_open=_MINE_OPEN.count(user),
        # Read when a page reads them (each page shows two or three of these lists).
        late_cases=_lazy(_LATE, user, today),
        due_today_cases=_lazy(_DUE_TODAY, user, today),
        rush_cases=_lazy(_RUSH, user),
        open_cases=_lazy(_MINE_OPEN_CASES, user),
        awaiting_approval_cases=_lazy(_AWAITING_APPROVAL, user),
        awaiting_delivery_cases=_lazy(_AWAITING_DELIVERY, user),
        urgent_cases=_lazy(_URGENT, user, today),
    )


_UNFINISHED = ~Q(status__in=FINISHED_STATUSES)
_OPEN = _UNFINISHED & ~Q(status=Status.DRAFT)


def _mine(user) -> Q:
    """A dentist's own cases; anyone else's: the cases assigned to them."""
    return Q(dentist=user) if getattr(user, "role", None) == Role.DENTIST else Q(assigned_technician=user)


def _listed(user) -> QuerySet[Case]:
    """What a dashboard list shows of a case."""
    return (
        visible_cases(user)
        .select_related("practice", "dentist", "assigned_technician")
        .only(*_CASE_COLUMNS, *_REF_NAMES)
    )


# The dashboard's reads, compiled once per process (dentallab.compiled): building these filters
# was a measurable part of the dashboard's CPU.
_MINE_OPEN = VisibleQuery(lambda user: visible_cases(user).filter(_OPEN & _mine(user)))
_LATE = VisibleQuery(
    lambda user, today: (
        _listed(user).filter(_UNFINISHED & late_q(today)).order_by("ship_by", "id")[:DASHBOARD_LIST_SIZE]
    )
)
_DUE_TODAY = VisibleQuery(
    lambda user, today: (
        _listed(user).filter(_UNFINISHED, due_date=today).order_by("-priority", "id")[:DASHBOARD_LIST_SIZE]
    )
)
_RUSH = VisibleQuery(
    lambda user: _listed(user).filter(_OPEN, priority=Priority.RUSH).order_by("due_date", "id")[:DASHBOARD_LIST_SIZE]
)
_MINE_OPEN_CASES = VisibleQuery(
    lambda user: _listed(user).filter(_OPEN & _mine(user)).order_by("due_date", "id")[:DASHBOARD_LIST_SIZE]
)
_AWAITING_APPROVAL = VisibleQuery(
    lambda user: _listed(user).filter(status=Status.AWAITING_APPROVAL).order_by("due_date", "id")[:DASHBOARD_LIST_SIZE]
)
_AWAITING_DELIVERY = VisibleQuery(
    lambda user: _listed(user).filter(status=Status.SHIPPED).order_by("shipped_at", "id")[:DASHBOARD_LIST_SIZE]
)


def _lazy(query: VisibleQuery, user, *values) -> list[Case]:
    """The list `query` reads for `user`, read on first use."""
    return SimpleLazyObject(lambda: query.list(user, *values))


def _urgent(user, today: datetime.date) -> QuerySet[Case]:
    """The late cases (by ship-by date), then those due today (rush first), then the other rush
    cases (by due date): the concatenation of the three short lists without repeats, in one
    query. Each case is ranked by the first list it belongs to, then by that list's order."""
    late = _UNFINISHED & late_q(today)
    due_today = _UNFINISHED & Q(due_date=today)
    rush = _OPEN & Q(priority=Priority.RUSH)
    rank = DbCase(When(late, then=Value(0)), When(due_today, then=Value(1)), When(rush, then=Value(2)))
    return (
        _listed(user)
        .filter(late | due_today | rush)
        .alias(urgency=rank)
        .order_by(
            "urgency",
            DbCase(When(urgency=0, then=F("ship_by")), When(urgency=1, then=Value(None)), default=F("due_date")).asc(
                nulls_last=True
            ),
            DbCase(When(urgency=1, then=F("priority"))).desc(nulls_last=True),
            "id",
        )[:DASHBOARD_LIST_SIZE]
    )


_URGENT = VisibleQuery(_urgent)


class _RequestStub:
    """django-filter asks the request for the user (to scope the practice/dentist choices)."""

    def __init__(self, user):
        self.user = user


def audit_case_labels(case_ids) -> dict:
    """For the audit log page (accounts.audit.case_labels): {id: ("Case 2026-00042", url)}. The
    log is for admins, who see every case; one query."""
    return {
        pk: (f"Case {number}", reverse("cases:detail", args=[pk]))
        for pk, number in Case.objects.filter(pk__in=case_ids).values_list("pk", "number")
    }

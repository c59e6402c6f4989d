"""Reads of the production floor, so visibility, joins and query budgets live in one place.

Every read starts from `visible_to(user)` (lab only). The board, the bench and the load view each
take a fixed number of queries whatever the number of cases (asserted in the tests)."""

from __future__ import annotations

import datetime
import json
from collections import defaultdict
from dataclasses import dataclass, field
from operator import itemgetter

from django.db import connections
from django.db.models import Count, F, Q, QuerySet, Sum, Window
from django.db.models.functions import RowNumber, TruncWeek
from django.shortcuts import get_object_or_404
from django.utils import timezone, translation

from accounts.policy import VisibleQuery
from cases.models import FINISHED_STATUSES, Product, Status
from cases.rows import date_labels
from dentallab.compiled import CompiledQuery
from production import dates
from production.models import OPEN_STEP_STATUSES, CaseStep, Department, QCCheck, QCItem, RoutingStep, StepStatus

BOARD_CARDS_PER_COLUMN = 10
BENCH_LIMIT = 25
LOAD_DAYS = 10

ACTIVE = (StepStatus.READY, StepStatus.IN_PROGRESS)
WORKABLE_STATUSES = (Status.RECEIVED, Status.IN_DESIGN, Status.IN_PRODUCTION)
# What a card says when its case cannot be worked now.
WAITING = {Status.ON_HOLD: "On hold", Status.AWAITING_APPROVAL: "Awaiting approval"}


def departments_for(user) -> QuerySet[Department]:
    return Department.objects.visible_to(user).order_by("position", "name", "id")


def get_department_for(user, pk) -> Department:
    return get_object_or_404(Department.objects.visible_to(user), pk=pk)


def get_step_for(user, pk) -> CaseStep:
    """The step to read or work: 404 when it does not exist or this user may not see it."""
    return get_object_or_404(
        CaseStep.objects.visible_to(user).select_related("case", "department", "technician"), pk=pk
    )


def _card_queryset(user) -> QuerySet[CaseStep]:
    return CaseStep.objects.visible_to(user).select_related(
        "case", "case__practice", "department", "technician", "item__product"
    )


def case_steps(user, case) -> QuerySet[CaseStep]:
    """A case's steps in order (the caller has checked the case is visible)."""
    return (
        CaseStep.objects.visible_to(user)
        .filter(case=case)
        .select_related("department", "technician", "item__product")
        .order_by("item_id", "position", "id")
    )


_CASE_STEPS = VisibleQuery(case_steps)


def case_steps_list(user, case) -> list[CaseStep]:
    """case_steps as a list, for the case page (compiled once per process)."""
    return _CASE_STEPS.list(user, case.pk)


def steps_for(user, *, department=None, status=None, technician=None) -> QuerySet[CaseStep]:
    """The API's step list: filters by department, status and technician, ordered by ship-by."""
    steps = _card_queryset(user)
    if department:
        steps = steps.filter(department_id=department)
    if status:
        steps = steps.filter(status=status)
    if technician:
        steps = steps.filter(technician_id=technician)
    return steps.order_by(F("case__ship_by").asc(nulls_last=True), "case_id", "position", "id")


def routings(user) -> list[tuple[Product, list[RoutingStep]]]:
    """Every active product with its routing (two queries)."""
    products = list(Product.objects.filter(active=True).order_by("category", "name"))
    by_product = defaultdict(list)
    for step in RoutingStep.objects.visible_to(user).select_related("department").order_by("product_id", "position"):
        by_product[step.product_id].append(step)
    return [(product, by_product[product.pk]) for product in products]


# --- the board ----------------------------------------------------------------------------------------

# What a card shows, read as plain values (no model instances: the board and the bench render up to
# a hundred cards, and building instances with five joined models costs more than the page may).
CARD_FIELDS = {
    "id": "id",
    "name": "name",
    "status": "status",
    "units": "units",
    "department_id": "department_id",
    "department_name": "department__name",
    "planned_date": "planned_date",
    "technician_id": "technician_id",
    "technician_name": "technician__name",
    "case_id": "case_id",
    "number": "case__number",
    "priority": "case__priority",
    "case_status": "case__status",
    "ship_by": "case__ship_by",
    "shade": "case__shade",
    "practice": "case__practice__name",
    "product": "item__product__name",
    "teeth": "item__teeth",
}
CARD_ORDER = [F("case__ship_by").asc(nulls_last=True), F("case__due_date").asc(nulls_last=True), F("id").asc()]


def _cards(rows, today) -> list[dict]:
    """The cards of `rows` (dicts of CARD_FIELDS), each with `is_late`, `rush` and its labels."""
    language = translation.get_language()
    for row in rows:
        ship_by, planned = row["ship_by"], row["planned_date"]
        row["is_late"] = bool(ship_by and ship_by < today)
        row["rush"] = row["priority"] == "rush"
        row["waiting"] = WAITING.get(row["case_status"], "")
        # Labels made here: the template's date and pluralize filters cost more than the rest of a card.
        row["ship_by_label"] = date_labels(ship_by, language)[2] if ship_by else "—"
        row["planned_label"] = date_labels(planned, language)[2] if planned else ""
        row["units_label"] = f"{row['units']} unit{'' if row['units'] == 1 else 's'}"
        row["teeth_label"] = ", ".join(map(str, row["teeth"] or ()))
    return rows


def _ranked_cards(queryset, *, partition: str, limit: int, today) -> list[dict]:
    """The first `limit` cards by ship-by of each value of `partition` (a card field) in `queryset`,
    in one windowed query, ordered by that value; each card has `partition_count`: how many its
    partition has."""
    by = [F(partition)]
    ranked = queryset.annotate(
        rank=Window(RowNumber(), partition_by=by, order_by=CARD_ORDER),
        partition_count=Window(Count("id"), partition_by=by),
    ).order_by()
    keys = (*CARD_FIELDS, "rank", "partition_count")
    sql, params = ranked.values_list(*CARD_FIELDS.values(), "rank", "partition_count").query.sql_with_params()
    # The filter on the rank is written here, around the query Django compiled (its columns in the
    # order of values_list): QuerySet.filter(rank__lte=…) makes Django compile the query twice over,
    # and compiling was most of the board's and the bench's time.
    with connections[ranked.db].cursor() as cursor:
        cursor.execute(f'SELECT * FROM ({sql}) AS ranked WHERE "rank" <= %s', [*params, limit])  # noqa: S608
        rows = [dict(zip(keys, values, strict=True)) for values in cursor.fetchall()]
    for row in rows:
        # Django's connections read JSON as text and leave decoding to the field (bypassed here).
        row["teeth"] = json.loads(row["teeth"]) if row["teeth"] is not None else None
    rows.sort(key=itemgetter(partition, "rank"))
    return _cards(rows, today)


@dataclass
class Column:
    department: Department
    cards: list = field(default_factory=list)
    count: int = 0
    planned_today: int = 0

    @property
    def over_capacity(self) -> bool:
        return self.planned_today > self.department.daily_capacity

    @property
    def more(self) -> int:
        return max(self.count - len(self.cards), 0)


def board(user, *, technician=None, today: datetime.date | None = None) -> list[Column]:
    """A column per department: its ready and in-progress steps by ship-by (the first
    BOARD_CARDS_PER_COLUMN of each) with how many there are, and today's planned units against
    capacity. Three queries."""
    today = today or dates.lab_today()
    departments = list(departments_for(user))
    columns = {d.pk: Column(d) for d in departments}
    # Only open cases have active steps; saying so lets PostgreSQL join through the small partial
    # index of open cases instead of hashing every case (184 → 48 ms at 100k cases).
    active = CaseStep.objects.visible_to(user).filter(status__in=ACTIVE).exclude(case__status__in=FINISHED_STATUSES)
    if technician:
        active = active.filter(
            Q(technician_id=technician)
            | Q(technician__isnull=True, department__in=Department.objects.filter(technicians=technician))
        )
    for card in _ranked_cards(active, partition="department_id", limit=BOARD_CARDS_PER_COLUMN, today=today):
        column = columns.get(card["department_id"])
        if column is not None:  # a department without cards has none to count
            column.cards.append(card)
            column.count = card["partition_count"]
    for row in (
        CaseStep.objects.visible_to(user)
        .filter(planned_date=today, status__in=OPEN_STEP_STATUSES)
        .order_by()
        .values("department_id")
        .annotate(units=Sum("units"))
    ):
        if row["department_id"] in columns:
            columns[row["department_id"]].planned_today = row["units"]
    return list(columns.values())


# --- the bench ----------------------------------------------------------------------------------------


@dataclass
class Bench:
    in_progress: list
    in_progress_count: int
    ready: list
    ready_count: int
    departments: list


def bench(user, *, today: datetime.date | None = None) -> Bench:
    """A technician's work: the steps they have in progress, then the ready steps of their
    departments by ship-by (a manager in no department sees every department's), the first
    BENCH_LIMIT of each list with how many it has. Two queries."""
    today = today or dates.lab_today()
    departments = list(user.departments.order_by("position", "name"))
    mine = Q(technician=user, status=StepStatus.IN_PROGRESS) & ~Q(case__status__in=FINISHED_STATUSES)
    # Only what can be started now: not a case on hold or waiting for the dentist's approval.
    ready = Q(status=StepStatus.READY, case__status__in=WORKABLE_STATUSES)
    if departments or not getattr(user, "is_manager_or_admin", False):
        ready &= Q(department_id__in=[d.pk for d in departments])
    # Both lists in one query: a step is in one list or the other by its status.
    steps = CaseStep.objects.visible_to(user).filter(mine | ready)
    cards = {StepStatus.IN_PROGRESS: [], StepStatus.READY: []}
    counts = dict.fromkeys(cards, 0)
    for card in _ranked_cards(steps, partition="status", limit=BENCH_LIMIT, today=today):
        cards[card["status"]].append(card)
        counts[card["status"]] = card["partition_count"]
    return Bench(
        in_progress=cards[StepStatus.IN_PROGRESS],
        in_progress_count=counts[StepStatus.IN_PROGRESS],
        ready=cards[StepStatus.READY],
        ready_count=counts[StepStatus.READY],
        departments=departments,
    )


# --- the load view ------------------------------------------------------------------------------------


@dataclass
class LoadRow:
    department: Department
    cells: list  # [(date, units, over)]
    behind: int = 0


def load(user, *, today: datetime.date | None = None, days: int = LOAD_DAYS) -> tuple[list, list[LoadRow]]:
    """Planned units per department for the next `days` working days against capacity, and the open
    units planned before today (behind schedule). Three queries."""
    today = today or dates.lab_today()
    window = dates.next_working_days(today, days)
    departments = list(departments_for(user))
    planned = defaultdict(int)
    open_steps = CaseStep.objects.visible_to(user).filter(status__in=OPEN_STEP_STATUSES)
    for row in (
        open_steps.filter(planned_date__gte=window[0], planned_date__lte=window[-1])
        .values("department_id", "planned_date")
        .annotate(units=Sum("units"))
    ):
        planned[(row["department_id"], row["planned_date"])] = row["units"]
    behind = dict(
        open_steps.filter(planned_date__lt=today)
        .values("department_id")
        .annotate(units=Sum("units"))
        .values_list("department_id", "units")
    )
    rows = []
    for department in departments:
        cells = []
        for day in window:
            units = planned[(department.pk, day)]
            cells.append((day, units, units > department.daily_capacity))
        rows.append(LoadRow(department, cells, behind.get(department.pk, 0)))
    return window, rows


# --- QC ----------------------------------------------------------------------------------------------


# The active items of a set of product categories (the variant: a sorted tuple, one of a few).
_QC_ITEMS = CompiledQuery(
    lambda categories: QCItem.objects.filter(category__in=categories, active=True).order_by(
        "category", "position", "id"
    ),
    max_variants=64,
)
_QC_CHECKS = CompiledQuery(
    lambda variant, case_pk: QCCheck.objects.filter(case=case_pk).select_related("checked_by").order_by("id")
)


def qc_items_for(case) -> list[QCItem]:
    """The active checklist items of the categories of the case's products (from `case.item_list`
    when the case was read with its items, as the case page's is)."""
    items = getattr(case, "item_list", None)
    if items is not None:
        categories = {item.product.category for item in items}
    else:
        categories = set(case.items.values_list("product__category", flat=True))
    return _QC_ITEMS.list(variant=tuple(sorted(categories))) if categories else []


def qc_checklist(case) -> list[dict]:
    """The case's checklist: each active item of its products' categories, ticked or not (who, when)."""
    items = qc_items_for(case)
    if not items:
        return []
    checks = {check.item_id: check for check in _QC_CHECKS.list(case.pk)}
    return [{"item": item, "check": checks.get(item.pk)} for item in items]


def steps_done_by_week(technician, weeks: list[datetime.date], date_to: datetime.date) -> list[dict]:
    """The steps `technician` finished in each week (Mondays in `weeks`, up to `date_to` included)
    and their units: one query on (technician, status) and finished_at, whatever the number of steps."""
    if not weeks:
        return []
    zone = timezone.get_current_timezone()
    start = datetime.datetime.combine(weeks[0], datetime.time.min, tzinfo=zone)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=zone)
    found = {
        row["week"].date() if isinstance(row["week"], datetime.datetime) else row["week"]: row
        for row in CaseStep.objects.filter(
            technician=technician, status=StepStatus.DONE, finished_at__gte=start, finished_at__lt=end
        )
        .order_by()
        .annotate(week=TruncWeek("finished_at", tzinfo=zone))
        .values("week")
        .annotate(steps=Count("id"), units=Sum("units"))
    }
    return [
        {
            "week": monday,
            "steps": found.get(monday, {}).get("steps", 0),
            "units": found.get(monday, {}).get("units", 0) or 0,
        }
        for monday in weeks
    ]

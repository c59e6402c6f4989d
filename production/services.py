"""Writes to the production floor. Each service runs in one transaction, checks every rule that
guards it (production.policy), and records a timeline event where the case's story changes.

The case's lifecycle moves that the floor causes (the first step started, the design finished,
the last step finished) go through `cases.services.transition_case`, never by setting a status."""

from __future__ import annotations

import datetime
import re
from collections import defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from accounts.audit import AuditAction, record
from accounts.policy import ensure
from cases.models import FINISHED_STATUSES, Case, EventKind, Status, TimelineEvent
from cases.services import transition_case
from dentallab.exceptions import AppError
from production import dates, policy, selectors
from production.exceptions import (
    CaseNotWorkable,
    NotYourDepartment,
    QCIncomplete,
    StepNotInProgress,
    StepNotReady,
)
from production.models import (
    OPEN_STEP_STATUSES,
    CaseStep,
    Department,
    QCCheck,
    QCItem,
    RoutingStep,
    Stage,
    StepStatus,
)

# --- departments ---------------------------------------------------------------------------------


def _clean_department(data: dict, instance: Department | None = None) -> dict:
    name = (data.get("name") or "").strip()
    errors = {}
    if not name:
        errors["name"] = ["Give the department a name."]
    elif Department.objects.filter(name__iexact=name).exclude(pk=getattr(instance, "pk", None)).exists():
        errors["name"] = ["A department of that name exists."]
    capacity = data.get("daily_capacity")
    try:
        capacity = int(capacity)
    except (TypeError, ValueError):
        errors["daily_capacity"] = ["Give the units it finishes a day, a whole number."]
    else:
        if capacity < 1:
            errors["daily_capacity"] = ["A daily capacity is at least 1 unit."]
    if errors:
        raise ValidationError(errors)
    return {"name": name, "daily_capacity": capacity, "position": int(data.get("position") or 0)}


@transaction.atomic
def save_department(*, actor, data: dict, department: Department | None = None, technicians=None) -> Department:
    """Create or edit a department (managers). `technicians`: the users who work there."""
    ensure(policy.can_manage_floor(actor), "Only managers edit departments.")
    fields = _clean_department(data, department)
    department = department or Department()
    for name, value in fields.items():
        setattr(department, name, value)
    department.save()
    if technicians is not None:
        department.technicians.set(technicians)
    return department


# --- routing ------------------------------------------------------------------------------------


@dataclass
class RoutingInput:
    department: Department
    name: str
    stage: str = Stage.PRODUCTION
    needs_approval: bool = False


@transaction.atomic
def set_routing(*, actor, product, steps: list[RoutingInput]) -> list[RoutingStep]:
    """Replace a product's routing with `steps`, in order (managers). An empty routing is refused:
    a product the lab makes passes through at least one department. Cases already on the floor keep
    the steps they were given."""
    ensure(policy.can_manage_floor(actor), "Only managers edit routings.")
    if not steps:
        raise ValidationError({"steps": ["A routing needs at least one step."]})
    errors = {}
    for index, step in enumerate(steps):
        step.name = (step.name or "").strip()
        if not step.name:
            errors[f"steps[{index}]"] = ["Name the step."]
        if step.stage not in Stage.values:
            errors[f"steps[{index}]"] = ["Choose design or production."]
    if errors:
        raise ValidationError(errors)
    RoutingStep.objects.filter(product=product).delete()
    return RoutingStep.objects.bulk_create(
        RoutingStep(
            product=product,
            position=index + 1,
            department=step.department,
            name=step.name,
            stage=step.stage,
            needs_approval=step.needs_approval and step.stage == Stage.DESIGN,
        )
        for index, step in enumerate(steps)
    )


# --- steps: creation and planning ------------------------------------------------------------------


def _chains(steps) -> dict:
    """Steps of one item (or of no item) form a chain, in position order."""
    chains = defaultdict(list)
    for step in sorted(steps, key=lambda s: (s.item_id or 0, s.position, s.pk or 0)):
        chains[step.item_id].append(step)
    return chains


def create_steps(case: Case, *, today: datetime.date | None = None) -> list[CaseStep]:
    """The case's steps from each item's product routing (the first of each chain ready), planned
    against capacity. Runs in the move to `received`."""
    if CaseStep.objects.filter(case=case).exists():
        return []
    items = list(case.items.all())
    routing = defaultdict(list)
    for routing_step in RoutingStep.objects.filter(product_id__in={item.product_id for item in items}).order_by(
        "product_id", "position"
    ):
        routing[routing_step.product_id].append(routing_step)
    steps = []
    for item in items:
        for index, routing_step in enumerate(routing[item.product_id]):
            steps.append(
                CaseStep(
                    case=case,
                    item=item,
                    department_id=routing_step.department_id,
                    name=routing_step.name,
                    position=routing_step.position,
                    stage=routing_step.stage,
                    needs_approval=routing_step.needs_approval,
                    units=item.quantity,
                    status=StepStatus.READY if index == 0 else StepStatus.PENDING,
                )
            )
    if not steps:
        return []
    steps = CaseStep.objects.bulk_create(steps)
    plan_case(case, steps=steps, today=today)
    return steps


def plan_case(case: Case, *, steps: list[CaseStep] | None = None, today: datetime.date | None = None) -> None:
    """Plan the case's steps that are not started backwards from its ship-by date (or due date):
    the last step of each chain on the latest working day its department still has capacity for
    its units, every earlier step at least one working day before the next; never before today.
    What does not fit lands on the first working day (an overload the load view shows)."""
    today = today or dates.lab_today()
    first = today if dates.is_working_day(today) else dates.add_working_days(today, 1)
    if steps is None:
        steps = list(CaseStep.objects.filter(case=case, status__in=OPEN_STEP_STATUSES))
    to_plan = [s for s in steps if s.status in (StepStatus.PENDING, StepStatus.READY)]
    if not to_plan:
        return
    deadline = case.ship_by or case.due_date
    deadline = dates.on_or_before(deadline) if deadline else first
    deadline = max(deadline, first)
    department_ids = {s.department_id for s in to_plan}
    capacity = dict(Department.objects.filter(pk__in=department_ids).values_list("id", "daily_capacity"))
    load = defaultdict(int)
    for row in (
        CaseStep.objects.filter(
            department_id__in=department_ids,
            status__in=OPEN_STEP_STATUSES,
            planned_date__gte=first,
            planned_date__lte=deadline,
        )
        .exclude(pk__in=[s.pk for s in to_plan])
        .values("department_id", "planned_date")
        .annotate(units=Sum("units"))
    ):
        load[(row["department_id"], row["planned_date"])] = row["units"]
    for chain in _chains(to_plan).values():
        latest = deadline
        for step in reversed(chain):
            day = latest
            while day > first and load[(step.department_id, day)] + step.units > capacity[step.department_id]:
                day = dates.previous_working_day(day)
            day = max(day, first)
            step.planned_date = day
            load[(step.department_id, day)] += step.units
            latest = max(dates.previous_working_day(day), first) if day > first else first
    CaseStep.objects.bulk_update(to_plan, ["planned_date"])


# --- the lifecycle signal --------------------------------------------------------------------------


def on_case_moved(sender, *, case: Case, from_status: str, to_status: str, actor=None, request=None, **kwargs):
    """`cases.signals.case_moved` receiver, inside the move's transaction."""
    if from_status == Status.ON_HOLD:
        plan_case(case)
    elif to_status == Status.RECEIVED:
        create_steps(case)
    elif to_status == Status.ON_HOLD:
        # Held work takes no capacity; it is planned again on resume.
        CaseStep.objects.filter(case=case, status__in=(StepStatus.PENDING, StepStatus.READY)).update(planned_date=None)
    elif to_status == Status.CANCELLED:
        CaseStep.objects.filter(case=case, status__in=OPEN_STEP_STATUSES).update(
            status=StepStatus.CANCELLED, planned_date=None
        )
    elif from_status == Status.QUALITY_CHECK and to_status == Status.SHIPPED:
        check_qc_complete(case)
    elif from_status == Status.QUALITY_CHECK and to_status == Status.IN_PRODUCTION:
        reopen_for_rework(case)


MAX_DATE = datetime.date.max


def on_case_dates_changed(sender, *, case_ids, **kwargs):
    """`cases.signals.case_dates_changed` receiver, inside the write that moved the dates: the
    not-started steps of those cases are planned again against the new ship-by (held cases stay
    unplanned until resumed; finished ones have nothing left to plan). One query for the steps, one
    for the lab's closed days, then three per case with such steps."""
    cases = Case.objects.filter(pk__in=case_ids).exclude(status__in=(Status.ON_HOLD, *FINISHED_STATUSES))
    steps = defaultdict(list)
    for step in CaseStep.objects.filter(
        case__in=cases, status__in=(StepStatus.PENDING, StepStatus.READY)
    ).select_related("case"):
        steps[step.case_id].append(step)
    # Earliest ship-by first: the most urgent case has first pick of the capacity.
    groups = sorted(steps.values(), key=lambda group: (group[0].case.ship_by or MAX_DATE, group[0].case_id))
    with dates.calendar_scope():
        for case_steps in groups:
            plan_case(case_steps[0].case, steps=case_steps)


def reopen_for_rework(case: Case) -> None:
    """Rework: the last step of each chain is ready again (finishing it sends the case back to
    quality check) and the checklist is ticked afresh."""
    last = {}
    for step in CaseStep.objects.filter(case=case, status=StepStatus.DONE).order_by("item_id", "position", "id"):
        last[step.item_id] = step
    if last:
        CaseStep.objects.filter(pk__in=[s.pk for s in last.values()]).update(
            status=StepStatus.READY, technician=None, started_at=None, finished_at=None
        )
        plan_case(case)
    QCCheck.objects.filter(case=case).delete()


# --- starting and finishing -----------------------------------------------------------------------

WORKABLE_STATUSES = selectors.WORKABLE_STATUSES


def _hold_reason(case: Case) -> str:
    event = (
        TimelineEvent.objects.filter(case=case, kind=EventKind.STATUS, to_status=Status.ON_HOLD)
        .order_by("-created_at", "-id")
        .first()
    )
    return event.body if event and event.body else ""


def _check_workable(case: Case) -> None:
    if case.status in WORKABLE_STATUSES:
        return
    if case.status == Status.ON_HOLD:
        reason = _hold_reason(case)
        raise CaseNotWorkable(f"Case {case.number} is on hold{': ' + reason if reason else ''}.")
    if case.status == Status.CANCELLED:
        raise CaseNotWorkable(f"Case {case.number} is cancelled.")
    if case.status == Status.AWAITING_APPROVAL:
        raise CaseNotWorkable(f"Case {case.number} is waiting for the dentist to approve the design.")
    raise CaseNotWorkable(f"Case {case.number} is {case.get_status_display().lower()}; its steps cannot be worked.")


def _event(case, actor, body: str, **data) -> None:
    TimelineEvent.objects.create(case=case, actor=actor, kind=EventKind.NOTE, internal=True, body=body, data=data)


def _lock(step: CaseStep, actor) -> tuple[Case, CaseStep]:
    """Lock the case (holds, cancellations and other steps' moves wait for us) and re-read the step."""
    if not policy.can_view_floor(actor):
        raise PermissionDenied("Only the lab works production steps.")
    case = Case.objects.select_for_update().get(pk=step.case_id)
    step = CaseStep.objects.select_related("department").get(pk=step.pk)
    return case, step


def _move(case: Case, to: str, actor, request=None) -> Case:
    return transition_case(case=case, to=to, actor=actor, note="", request=request)


@transaction.atomic
def start_step(*, step: CaseStep, actor, request=None, via: str = "") -> CaseStep:
    """Start a ready step (409 otherwise). Of two people starting it at once one wins: the update
    only applies while the step is still ready. The first step moves a received case into design
    (or production when it has no design steps)."""
    case, step = _lock(step, actor)
    if not policy.can_work_step(actor, step):
        raise NotYourDepartment(policy.work_refusal(actor, step))
    _check_workable(case)
    now = timezone.now()
    started = CaseStep.objects.filter(pk=step.pk, status=StepStatus.READY).update(
        status=StepStatus.IN_PROGRESS, technician=actor, started_at=now
    )
    if not started:
        label = StepStatus(step.status).label.lower()
        raise StepNotReady(f"“{step.name}” is {label}; only a ready step can be started.")
    step.refresh_from_db()
    open_design = CaseStep.objects.filter(case=case, stage=Stage.DESIGN, status__in=OPEN_STEP_STATUSES)
    if case.status == Status.RECEIVED:
        case = _move(case, Status.IN_DESIGN if open_design.exists() else Status.IN_PRODUCTION, actor, request)
    elif case.status == Status.IN_DESIGN and step.stage == Stage.PRODUCTION and not open_design.exists():
        case = _move(case, Status.IN_PRODUCTION, actor, request)
    _event(case, actor, f"Started {step.name} ({step.department.name}){via}", step=step.pk, action="start")
    return step


PATH_TO_QUALITY_CHECK = {
    Status.RECEIVED: (Status.IN_PRODUCTION, Status.QUALITY_CHECK),
    Status.IN_DESIGN: (Status.IN_PRODUCTION, Status.QUALITY_CHECK),
    Status.IN_PRODUCTION: (Status.QUALITY_CHECK,),
}


@transaction.atomic
def finish_step(*, step: CaseStep, actor, request=None, via: str = "") -> CaseStep:
    """Finish a step in progress (409 otherwise); the next step of its chain becomes ready. The last
    design step sends the design for approval (when a step asks for it) or on to production; the
    last step of all sends the case to quality check."""
    case, step = _lock(step, actor)
    if not policy.can_work_step(actor, step):
        raise NotYourDepartment(policy.work_refusal(actor, step))
    if case.status in (Status.ON_HOLD, Status.CANCELLED):
        _check_workable(case)
    now = timezone.now()
    finished = CaseStep.objects.filter(pk=step.pk, status=StepStatus.IN_PROGRESS).update(
        status=StepStatus.DONE, finished_at=now
    )
    if not finished:
        label = StepStatus(step.status).label.lower()
        raise StepNotInProgress(f"“{step.name}” is {label}; only a step in progress can be finished.")
    step.refresh_from_db()
    following = (
        CaseStep.objects.filter(case=case, item_id=step.item_id, status=StepStatus.PENDING, position__gt=step.position)
        .order_by("position", "id")
        .first()
    )
    if following is not None:
        CaseStep.objects.filter(pk=following.pk).update(status=StepStatus.READY)
    _event(case, actor, f"Finished {step.name} ({step.department.name}){via}", step=step.pk, action="finish")
    remaining = CaseStep.objects.filter(case=case, status__in=OPEN_STEP_STATUSES)
    if not remaining.exists():
        for to in PATH_TO_QUALITY_CHECK.get(case.status, ()):
            case = _move(case, to, actor, request)
    elif (
        step.stage == Stage.DESIGN
        and case.status == Status.IN_DESIGN
        and not remaining.filter(stage=Stage.DESIGN).exists()
    ):
        needs_approval = CaseStep.objects.filter(case=case, stage=Stage.DESIGN, needs_approval=True).exists()
        case = _move(case, Status.AWAITING_APPROVAL if needs_approval else Status.IN_PRODUCTION, actor, request)
    return step


# --- the scan station -----------------------------------------------------------------------------

CASE_URL = re.compile(r"/cases/(\d+)(?:/|$)")
CASE_NUMBER = re.compile(r"^[A-Za-z0-9-]{4,20}$")


@dataclass
class ScanResult:
    ok: bool
    message: str
    case: Case | None = None
    step: CaseStep | None = None
    action: str = ""


def find_scanned_case(actor, code: str) -> Case | None:
    """The visible case a scanned code names: a ticket's QR (the case URL) or a case number."""
    code = (code or "").strip()[:300]
    visible = Case.objects.visible_to(actor)
    match = CASE_URL.search(code)
    if match:
        return visible.filter(pk=int(match.group(1))).first()
    if CASE_NUMBER.match(code):  # the unique index on the number, not a scan of every case
        return visible.filter(Q(number=code) | Q(number=code.upper())).first()
    return None


def scan(*, actor, code: str, request=None) -> ScanResult:
    """Start or finish the scanned case's current step for `actor`: finish the step they have in
    progress, else start the first ready step they may work. Unknown and invisible codes get the
    same answer, so nothing leaks; every scan of a case lands on its timeline."""
    if not policy.can_view_floor(actor):
        raise PermissionDenied("Only the lab uses the scan station.")
    case = find_scanned_case(actor, code)
    if case is None:
        return ScanResult(False, "No case matches that code.")
    department_ids = set(actor.departments.values_list("id", flat=True))
    steps = list(
        CaseStep.objects.filter(case=case, status__in=(StepStatus.READY, StepStatus.IN_PROGRESS))
        .select_related("department")
        .order_by("position", "id")
    )
    mine = [s for s in steps if s.status == StepStatus.IN_PROGRESS and s.technician_id == actor.pk]
    ready = [s for s in steps if s.status == StepStatus.READY and policy.can_work_step(actor, s, department_ids)]
    try:
        if mine:
            step = finish_step(step=mine[0], actor=actor, request=request, via=" — scan station")
            return ScanResult(True, f"Finished {step.name} on {case.number}.", case, step, "finish")
        if ready:
            step = start_step(step=ready[0], actor=actor, request=request, via=" — scan station")
            return ScanResult(True, f"Started {step.name} on {case.number}.", case, step, "start")
    except AppError as exc:
        message = exc.message
    else:
        if not steps:
            message = f"{case.number}: no step is waiting to be started."
        else:
            message = f"{case.number}: none of its ready steps is in your departments."
    with transaction.atomic():
        _event(case, actor, f"Scanned at the scan station: {message}", action="scan")
    return ScanResult(False, message, case)


# --- the QC checklist -----------------------------------------------------------------------------


@transaction.atomic
def add_qc_item(*, actor, category: str, label: str) -> QCItem:
    ensure(policy.can_manage_floor(actor), "Only managers edit the QC checklist.")
    from cases.models import ProductCategory

    label = (label or "").strip()
    if category not in ProductCategory.values:
        raise ValidationError({"category": ["Choose a product category."]})
    if not label:
        raise ValidationError({"label": ["Say what is checked."]})
    if QCItem.objects.filter(category=category, label__iexact=label, active=True).exists():
        raise ValidationError({"label": ["That item is already on the checklist."]})
    last = QCItem.objects.filter(category=category).order_by("-position").values_list("position", flat=True).first()
    return QCItem.objects.create(category=category, label=label, position=(last or 0) + 1)


@transaction.atomic
def remove_qc_item(*, actor, item: QCItem) -> None:
    """Retire an item: cases already checked keep their record."""
    ensure(policy.can_manage_floor(actor), "Only managers edit the QC checklist.")
    QCItem.objects.filter(pk=item.pk).update(active=False)


@transaction.atomic
def tick_qc(*, case: Case, actor, item_ids, request=None) -> list[QCCheck]:
    """Tick checklist items on a case in quality check (lab staff; 409 in any other status)."""
    if not policy.can_tick_qc(actor):
        raise PermissionDenied("Only the lab ticks the QC checklist.")
    case = Case.objects.select_for_update().get(pk=case.pk)
    if case.status != Status.QUALITY_CHECK:
        raise CaseNotWorkable(
            f"Case {case.number} is {case.get_status_display().lower()}; the checklist is ticked in quality check.",
            field="items",
        )
    try:
        wanted = {int(i) for i in item_ids}
    except (TypeError, ValueError):
        raise ValidationError({"items": ["Give the ids of checklist items."]}) from None
    allowed = {item.pk: item for item in selectors.qc_items_for(case)}
    unknown = wanted - set(allowed)
    if unknown:
        raise ValidationError({"items": [f"Not on this case's checklist: {', '.join(map(str, sorted(unknown)))}."]})
    done = set(QCCheck.objects.filter(case=case, item_id__in=wanted).values_list("item_id", flat=True))
    new = [QCCheck(case=case, item_id=pk, checked_by=actor) for pk in sorted(wanted - done)]
    QCCheck.objects.bulk_create(new)
    if new:
        labels = ", ".join(allowed[c.item_id].label for c in new)
        _event(case, actor, f"QC ticked: {labels}", action="qc", items=[c.item_id for c in new])
        record(
            AuditAction.CASE_CHANGED, request=request, actor=actor, obj=case, case_id=case.pk, detail={"qc": len(new)}
        )
    return new


def check_qc_complete(case: Case) -> None:
    """Refuse leaving quality check for shipped while a checklist item is not ticked."""
    items = selectors.qc_items_for(case)
    ticked = set(QCCheck.objects.filter(case=case).values_list("item_id", flat=True))
    missing = [item.label for item in items if item.pk not in ticked]
    if missing:
        raise QCIncomplete(f"Tick every QC item before shipping: {', '.join(missing)}.")

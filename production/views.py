"""Production pages: the board, the bench, the load view, the scan station, and the manager's
departments, routings and QC checklist. Thin: parse the form, call a service, show its refusal
next to the field it names (or as a message)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST

from accounts.models import User
from accounts.policy import require
from cases.models import Product
from cases.selectors import get_case_for
from dentallab.exceptions import AppError
from dentallab.reversing import url_pattern
from production import dates, policy, selectors, services
from production.forms import DepartmentForm, QCItemForm, RoutingFormSet, ScanForm
from production.models import QCItem, RoutingStep


def _to_form(form, exc) -> None:
    if isinstance(exc, AppError):
        form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    elif hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _next(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return target
    return default


# --- the board, bench and load view -----------------------------------------------------------------


def _link(*card_lists: list[dict], actions: bool = False) -> None:
    """Give each card its links (URL patterns reversed once per process, not once per card)."""
    case = url_pattern("cases:detail")
    if actions:
        files, ticket = url_pattern("files:case_files"), url_pattern("cases:ticket")
        start, finish = url_pattern("production:step_start"), url_pattern("production:step_finish")
    for cards in card_lists:
        for card in cards:
            card["url"] = case.format(card["case_id"])
            if actions:
                card["files_url"] = files.format(card["case_id"])
                card["ticket_url"] = ticket.format(card["case_id"])
                card["action_url"] = (finish if card["status"] == "in_progress" else start).format(card["id"])


@login_required
@require(policy.can_view_floor)
@require_GET
def board(request):
    technician = request.GET.get("technician", "")
    technician = int(technician) if technician.isdigit() else None
    today = dates.lab_today()
    columns = selectors.board(request.user, technician=technician, today=today)
    _link(*(column.cards for column in columns))
    return render(
        request,
        "production/board.html",
        {
            "columns": columns,
            "today": today,
            "technicians": User.objects.technicians().order_by("name").values_list("pk", "name"),
            "technician": technician,
        },
    )


@login_required
@require(policy.can_view_floor)
@require_GET
def bench(request):
    today = dates.lab_today()
    work = selectors.bench(request.user, today=today)
    _link(work.in_progress, work.ready, actions=True)
    return render(request, "production/bench.html", {"bench": work, "today": today})


@login_required
@require(policy.can_view_floor)
@require_GET
def load(request):
    window, rows = selectors.load(request.user)
    return render(request, "production/load.html", {"window": window, "rows": rows})


# --- starting and finishing from a page ------------------------------------------------------------


def _step_action(request, pk, action, done: str):
    step = selectors.get_step_for(request.user, pk)
    try:
        step = action(step=step, actor=request.user, request=request)
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"{done} {step.name} on {step.case.number}.")
    return redirect(_next(request, "production:bench"))


@login_required
@require(policy.can_view_floor)
@require_POST
def step_start(request, pk):
    return _step_action(request, pk, services.start_step, "Started")


@login_required
@require(policy.can_view_floor)
@require_POST
def step_finish(request, pk):
    return _step_action(request, pk, services.finish_step, "Finished")


# --- the scan station ------------------------------------------------------------------------------


@login_required
@require(policy.can_view_floor)
def scan(request):
    result = None
    if request.method == "POST":
        form = ScanForm(request.POST)
        if form.is_valid():
            result = services.scan(actor=request.user, code=form.cleaned_data["code"], request=request)
        else:
            result = services.ScanResult(False, "No case matches that code.")
        form = ScanForm()  # an empty, focused input for the next scan
    else:
        form = ScanForm()
    return render(request, "production/scan.html", {"form": form, "result": result})


# --- QC ---------------------------------------------------------------------------------------------


@login_required
@require(policy.can_view_floor)
@require_POST
def case_qc(request, case_id):
    case = get_case_for(request.user, case_id)
    try:
        ticked = services.tick_qc(
            case=case, actor=request.user, item_ids=request.POST.getlist("items"), request=request
        )
    except AppError as exc:
        messages.error(request, exc.message)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, f"{len(ticked)} QC item{'s' if len(ticked) != 1 else ''} ticked.")
    return redirect("cases:detail", pk=case.pk)


@login_required
@require(policy.can_manage_floor)
def qc_items(request):
    if request.method == "POST":
        form = QCItemForm(request.POST)
        if form.is_valid():
            try:
                services.add_qc_item(actor=request.user, **form.cleaned_data)
            except (AppError, ValidationError) as exc:
                _to_form(form, exc)
            else:
                messages.success(request, "Checklist item added.")
                return redirect("production:qc_items")
    else:
        form = QCItemForm()
    items = QCItem.objects.visible_to(request.user).filter(active=True).order_by("category", "position", "id")
    return render(request, "production/qc_items.html", {"form": form, "items": items})


@login_required
@require(policy.can_manage_floor)
@require_POST
def qc_item_remove(request, pk):
    item = get_object_or_404(QCItem.objects.visible_to(request.user), pk=pk)
    services.remove_qc_item(actor=request.user, item=item)
    messages.success(request, f"“{item.label}” removed from the checklist.")
    return redirect("production:qc_items")


# --- departments and routings (managers) ----------------------------------------------------------


@login_required
@require(policy.can_manage_floor)
@require_GET
def department_list(request):
    departments = selectors.departments_for(request.user).prefetch_related("technicians")
    return render(request, "production/department_list.html", {"departments": departments})


def _department_page(request, department=None):
    if request.method == "POST":
        form = DepartmentForm(request.POST)
        if form.is_valid():
            try:
                department = services.save_department(
                    actor=request.user,
                    data=form.cleaned_data,
                    department=department,
                    technicians=form.cleaned_data["technicians"],
                )
            except (AppError, ValidationError) as exc:
                _to_form(form, exc)
            else:
                messages.success(request, f"Department “{department.name}” saved.")
                return redirect("production:departments")
    elif department is not None:
        form = DepartmentForm(
            initial={
                "name": department.name,
                "daily_capacity": department.daily_capacity,
                "position": department.position,
                "technicians": list(department.technicians.all()),
            }
        )
    else:
        form = DepartmentForm(initial={"position": 0})
    return render(request, "production/department_form.html", {"form": form, "department": department})


@login_required
@require(policy.can_manage_floor)
def department_create(request):
    return _department_page(request)


@login_required
@require(policy.can_manage_floor)
def department_edit(request, pk):
    return _department_page(request, selectors.get_department_for(request.user, pk))


@login_required
@require(policy.can_manage_floor)
@require_GET
def routing_list(request):
    return render(request, "production/routing_list.html", {"routings": selectors.routings(request.user)})


@login_required
@require(policy.can_manage_floor)
def routing_edit(request, product_id):
    product = get_object_or_404(Product.objects.all(), pk=product_id)
    departments = selectors.departments_for(request.user)
    if request.method == "POST":
        formset = RoutingFormSet(request.POST, form_kwargs={"departments": departments})
        if formset.is_valid():
            rows = [
                services.RoutingInput(
                    department=row["department"],
                    name=row["name"],
                    stage=row["stage"],
                    needs_approval=row.get("needs_approval", False),
                )
                for row in formset.cleaned_data
                if row.get("department") and row.get("name")
            ]
            try:
                services.set_routing(actor=request.user, product=product, steps=rows)
            except ValidationError as exc:
                formset._non_form_errors = formset.error_class(exc.messages)
            else:
                messages.success(request, f"Routing of {product.name} saved.")
                return redirect("production:routings")
    else:
        initial = [
            {"department": s.department_id, "name": s.name, "stage": s.stage, "needs_approval": s.needs_approval}
            for s in RoutingStep.objects.visible_to(request.user).filter(product=product).order_by("position")
        ]
        formset = RoutingFormSet(initial=initial, form_kwargs={"departments": departments})
    return render(request, "production/routing_form.html", {"product": product, "formset": formset})

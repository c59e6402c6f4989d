"""Case pages (DESIGN §6). Thin: visibility from `Case.objects.visible_to`, rules from
lifecycle and policy, writes through services; errors become form errors or messages."""

import csv
import datetime
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.audit import AuditAction, record
from accounts.models import LabProfile, Practice
from accounts.policy import can_see_prices
from cases import counts, lifecycle, policy, rows, selectors, services
from cases.exceptions import TransitionForbidden, TransitionNotAllowed
from cases.forms import AssignForm, CaseForm, CaseItemFormSet, MoveForm, NoteForm, RemakeForm
from cases.models import Case, Product, Status
from cases.shades import VITA_3D_MASTER, VITA_CLASSICAL
from cases.teeth import teeth_label
from dentallab.api_errors import json_error
from dentallab.exceptions import AppError
from dentallab.reversing import reverse_once
from workcalendar.calendar import lab_today

# The flash after a move, as a sentence ("Case 2026-00042 is now in quality check.").
MOVED_SENTENCES = {
    Status.DRAFT: "is back in draft",
    Status.SUBMITTED: "has been sent to the lab",
    Status.RECEIVED: "has been received",
    Status.IN_DESIGN: "is now in design",
    Status.AWAITING_APPROVAL: "is now waiting for the dentist's approval",
    Status.IN_PRODUCTION: "is now in production",
    Status.QUALITY_CHECK: "is now in quality check",
    Status.SHIPPED: "has been shipped",
    Status.DELIVERED: "has been delivered",
    Status.ON_HOLD: "is now on hold",
    Status.CANCELLED: "has been cancelled",
}

# ---- new case / edit ------------------------------------------------------------------------


def _products_for(user, case=None):
    """The price list; when editing, also any retired product the case already has."""
    products = selectors.products_for(user)
    if case is not None:
        products = products | Product.objects.filter(pk__in=case.items.values("product"))
    return products.order_by("category", "name")


def _items_from(formset) -> list[services.ItemInput]:
    return [
        services.ItemInput(
            product=form.cleaned_data["product"],
            teeth=form.cleaned_data["teeth"],
            shade=form.cleaned_data.get("shade", ""),
            material=form.cleaned_data.get("material", ""),
            quantity=form.cleaned_data["quantity"],
        )
        for form in formset.active_forms()
    ]


def _apply_service_errors(exc: ValidationError, form, formset, item_forms):
    """Put a service's ValidationError next to the field it names (items[i] → that line)."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, messages_ in errors.items():
        if name and name.startswith("items[") and name.endswith("]"):
            index = int(name[6:-1])
            target = item_forms[index] if index < len(item_forms) else None
            for message in messages_:
                if target is not None:
                    target.add_error("teeth" if "tooth" in message.lower() else None, message)
                else:
                    form.add_error(None, message)
        elif name in form.fields:
            for message in messages_:
                form.add_error(name, message)
        else:
            for message in messages_:
                form.add_error(None, message)


def _form_context(request, form, formset, case=None):
    user = request.user
    can_submit = False
    if case is None:
        # Whether this user's role may move a new draft to "submitted" (lifecycle decides).
        probe = Case(status=Status.DRAFT, practice_id=user.practice_id)
        can_submit = lifecycle.role_may_move(user, probe, Status.SUBMITTED)
    return {
        "form": form,
        "formset": formset,
        "case": case,
        "can_submit": can_submit,
        "shades": VITA_CLASSICAL + VITA_3D_MASTER,
        "due_date_url": reverse("cases:due-date"),
    }


@login_required
def case_create(request):
    user = request.user
    if not policy.can_create_cases(user):
        raise PermissionDenied
    products = _products_for(user)
    if request.method == "POST":
        form = CaseForm(request.POST, user=user)
        formset = CaseItemFormSet(request.POST, prefix="items", products=products)
        if form.is_valid() and formset.is_valid():
            data = form.cleaned_data
            practice = user.practice if user.is_dentist else data["practice"]
            dentist = user if user.is_dentist else data["dentist"]
            submit = request.POST.get("action") == "submit"
            try:
                case = services.create_case(
                    actor=user,
                    practice=practice,
                    dentist=dentist,
                    patient_name=data["patient_name"],
                    items=_items_from(formset),
                    submit=submit,
                    request=request,
                    priority=data["priority"],
                    due_date=data["due_date"],
                    pan_number=data["pan_number"],
                    shade=data["shade"],
                    instructions=data["instructions"],
                )
            except TransitionForbidden as exc:
                form.add_error(None, str(exc))
            except ValidationError as exc:
                _apply_service_errors(exc, form, formset, formset.active_forms())
            else:
                if submit:
                    messages.success(request, f"Case {case.number} was sent to the lab.")
                else:
                    messages.success(request, f"Case {case.number} was saved as a draft.")
                return redirect("cases:detail", pk=case.pk)
    else:
        form = CaseForm(user=user)
        formset = CaseItemFormSet(prefix="items", products=products)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/case_form.html", _form_context(request, form, formset), status=status)


@login_required
def case_edit(request, pk):
    user = request.user
    case = selectors.get_case_for_write(user, pk, queryset=Case.objects.select_related("practice", "dentist"))
    products = _products_for(user, case)
    items = list(case.items.all())
    initial_items = [
        {
            "product": item.product_id,
            "teeth": ", ".join(str(t) for t in item.teeth),
            "shade": item.shade,
            "material": item.material,
            "quantity": item.quantity,
        }
        for item in items
    ]
    initial = {
        name: getattr(case, name)
        for name in ("patient_name", "pan_number", "priority", "due_date", "shade", "instructions")
    }
    if request.method == "POST":
        form = CaseForm(request.POST, user=user, editing=True, initial=initial)
        formset = CaseItemFormSet(request.POST, prefix="items", products=products, initial=initial_items)
        if form.is_valid() and formset.is_valid():
            try:
                with transaction.atomic():
                    services.update_case(
                        case=case,
                        actor=user,
                        changes={name: form.cleaned_data[name] for name in initial},
                        request=request,
                    )
                    services.replace_items(case=case, actor=user, items=_items_from(formset), request=request)
            except ValidationError as exc:
                _apply_service_errors(exc, form, formset, formset.active_forms())
            else:
                messages.success(request, f"Case {case.number} was updated.")
                return redirect("cases:detail", pk=case.pk)
    else:
        form = CaseForm(user=user, editing=True, initial=initial)
        formset = CaseItemFormSet(prefix="items", products=products, initial=initial_items)
    status = 400 if request.method == "POST" else 200
    return render(request, "cases/case_form.html", _form_context(request, form, formset, case), status=status)


@login_required
@require_GET
def due_date_suggestion(request):
    """The suggested due date and ship-by for a set of products and a practice (the schedule API's
    rule: services.schedule), for the form. A dentist's practice is their own."""
    raw = request.GET.getlist("product")
    try:
        ids = {int(value) for value in raw if value}
    except ValueError:
        return json_error("Product ids are numbers.", "invalid", 400, {"product": ["Product ids are numbers."]})
    products = list(Product.objects.filter(pk__in=ids))
    if len(products) != len(ids):
        return json_error("Unknown product.", "invalid", 400, {"product": ["Unknown product."]})
    practice = request.user.practice if request.user.is_dentist else None
    raw_practice = request.GET.get("practice", "")
    if practice is None and raw_practice:
        practice = (
            Practice.objects.visible_to(request.user).filter(pk=raw_practice).first()
            if raw_practice.isdigit()
            else None
        )
        if practice is None:
            return json_error("Unknown practice.", "invalid", 400, {"practice": ["Unknown practice."]})
    due, ship_by = services.schedule(products, practice)
    return JsonResponse(
        {
            "due_date": due.isoformat() if due else None,
            "display": due.strftime("%a %-d %b %Y") if due else "",
            "ship_by": ship_by.isoformat() if ship_by else None,
            "ship_by_display": ship_by.strftime("%a %-d %b %Y") if ship_by else "",
            "working_days": max((p.turnaround_days for p in products), default=0),
            "transit_days": practice.transit_days if practice else 0,
        }
    )


# ---- case page and its actions --------------------------------------------------------------


@login_required
def case_detail(request, pk):
    user = request.user
    case = selectors.case_detail(user, pk)
    items = case.item_list
    events = selectors.case_timeline(user, case)
    hold_reason = ""
    if case.status == Status.ON_HOLD:
        hold_reason = next((e.body for e in events if e.kind == "status" and e.to_status == Status.ON_HOLD), "")
    moves = [
        {
            "to": to,
            "label": lifecycle.move_label(case.status, to),
            "reason": lifecycle.reason_required(case.status, to),
            "danger": to == Status.CANCELLED,
            "hold": to == Status.ON_HOLD,
        }
        for to in lifecycle.allowed_moves(user, case)
    ]
    # The first plain forward move is the page's main button.
    for item in moves:
        if not (item["reason"] or item["danger"] or item["hold"]):
            item["primary"] = True
            break
    show_prices = can_see_prices(user)
    record(AuditAction.CASE_VIEWED, request=request, obj=case, case_id=case.pk)
    lab_staff = policy.can_assign_technician(user)
    context = {
        "case": case,
        "items": items,
        "case_teeth": sorted({tooth for item in items for tooth in item.teeth}),
        "events": events,
        "hold_reason": hold_reason,
        "moves": moves,
        "total": sum((item.line_total for item in items), start=0) if show_prices else None,
        "can_edit": policy.can_edit_case(user, case),
        "remakes": selectors.remakes_of(user, case),
        "note_form": NoteForm(user=user),
        "assign_form": AssignForm(initial={"technician": case.assigned_technician_id}) if lab_staff else None,
        "remake_form": RemakeForm(user=user) if policy.can_remake(user, case) else None,
    }
    return render(request, "cases/case_detail.html", context)


@login_required
@require_POST
def case_move(request, pk):
    case = selectors.get_case_for(request.user, pk)
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a move.")
        return redirect("cases:detail", pk=case.pk)
    to = form.cleaned_data["to"]
    try:
        case = services.transition_case(
            case=case, to=to, actor=request.user, note=form.cleaned_data["note"], request=request
        )
    except TransitionNotAllowed as exc:  # 409: someone moved it first, or a stale page
        messages.error(request, f"{exc} The page has been refreshed: check the status and try again.")
    except TransitionForbidden as exc:  # 403
        messages.error(request, str(exc))
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    except AppError as exc:  # a case_moved receiver refused the move (e.g. a lot missing at QC)
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Case {case.number} {MOVED_SENTENCES.get(case.status, 'has moved')}.")
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def case_note(request, pk):
    case = selectors.get_case_for(request.user, pk)
    form = NoteForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            services.add_note(
                case=case,
                actor=request.user,
                body=form.cleaned_data["body"],
                internal=form.cleaned_data.get("internal", False),
                request=request,
            )
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Note added.")
    else:
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
    return redirect(reverse("cases:detail", args=[case.pk]) + "#timeline")


@login_required
@require_POST
def case_assign(request, pk):
    case = selectors.get_case_for(request.user, pk)
    form = AssignForm(request.POST)
    if form.is_valid():
        technician = form.cleaned_data["technician"]
        try:
            services.assign_technician(case=case, actor=request.user, technician=technician, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, f"Assigned to {technician.name}." if technician else "Technician unassigned.")
    else:
        messages.error(request, "Choose an active technician.")
    return redirect("cases:detail", pk=case.pk)


@login_required
@require_POST
def case_remake(request, pk):
    case = selectors.get_case_for(request.user, pk)
    form = RemakeForm(request.POST, user=request.user)
    if not form.is_valid():
        messages.error(request, " ".join(message for errors in form.errors.values() for message in errors))
        return redirect("cases:detail", pk=case.pk)
    try:
        remake = services.create_remake(
            original=case,
            actor=request.user,
            reason=form.cleaned_data["reason"],
            responsibility=form.cleaned_data.get("responsibility", ""),
            request=request,
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("cases:detail", pk=case.pk)
    messages.success(request, f"Remake {remake.number} created from {case.number}.")
    return redirect("cases:detail", pk=remake.pk)


@login_required
def case_ticket(request, pk):
    case = selectors.case_detail(request.user, pk)
    items = case.item_list
    case_url = settings.SITE_URL + reverse("cases:detail", args=[case.pk])
    paper = "letter" if request.GET.get("paper") == "letter" else "a5"
    context = {
        "case": case,
        "items": items,
        "case_url": case_url,
        "paper": paper,
        "case_teeth": sorted({tooth for item in items for tooth in item.teeth}),
        "lab": LabProfile.current(),
    }
    # The ticket shows the patient and the Rx: a read of patient data like the case page.
    record(AuditAction.CASE_VIEWED, request=request, obj=case, case_id=case.pk, detail={"via": "ticket"})
    return render(request, "cases/case_ticket.html", context)


# ---- dashboard ------------------------------------------------------------------------------


OPEN_STATUSES = lifecycle.OPEN_STATUSES
UNFINISHED_STATUSES = lifecycle.UNFINISHED_STATUSES


def _list_url(**params) -> str:
    query = urlencode(
        [(key, v) for key, value in params.items() for v in (value if isinstance(value, list | tuple) else [value])]
    )
    return f"{reverse_once('cases:list')}?{query}"


@login_required
def dashboard(request):
    user = request.user
    today = lab_today()
    data = selectors.dashboard(user, today=today)
    week_end = today + datetime.timedelta(days=selectors.NEXT_DAYS - 1)
    links = {
        "late": _list_url(late="true", ordering="ship_by"),
        "due_today": _list_url(due_after=today, due_before=today, status=UNFINISHED_STATUSES),
        "due_next_7_days": _list_url(
            due_after=today, due_before=week_end, status=UNFINISHED_STATUSES, ordering="due_date"
        ),
        "rush": _list_url(priority="rush", status=OPEN_STATUSES, ordering="due_date"),
        "open": _list_url(status=OPEN_STATUSES, ordering="due_date"),
        "awaiting_approval": _list_url(status=Status.AWAITING_APPROVAL),
        "drafts": _list_url(status=Status.DRAFT),
    }
    if user.is_dentist:
        links["mine_open"] = _list_url(dentist=user.pk, status=OPEN_STATUSES, ordering="due_date")
    status_rows = [
        {"value": value, "label": label, "count": count, "url": _list_url(status=value)}
        for value, label, count in data.status_rows
    ]
    urgent = list(data.urgent_cases) if user.is_lab_staff else []
    open_cases = list(data.open_cases) if user.is_dentist else []
    context = {
        "data": data,
        "links": links,
        "status_rows": status_rows,
        "urgent": urgent,
        "today": today,
        "urgent_rows": rows.dashboard_rows(urgent, show_practice=True, today=today),
        "open_cases": open_cases,
        "open_rows": rows.dashboard_rows(open_cases, show_practice=False, today=today),
        "awaiting": list(data.awaiting_approval_cases) if user.is_dentist else [],
        "to_confirm": list(data.awaiting_delivery_cases) if user.is_dentist else [],
    }
    return render(request, "cases/dashboard.html", context)


# ---- case list and export -------------------------------------------------------------------

PAGE_SIZES = (25, 50, 100)
SORTABLE = [
    ("number", "Case"),
    ("patient_name", "Patient"),
    ("practice", "Practice"),
    ("status", "Status"),
    ("due_date", "Due"),
]


def _query_without(params, *names, **replace) -> str:
    query = params.copy()
    for name in (*names, *replace):
        query.pop(name, None)
    for name, value in replace.items():
        query[name] = value
    return query.urlencode()


def _sort_headers(params) -> dict:
    current = params.get("ordering", "")
    key = current.lstrip("-")
    descending = current.startswith("-")
    headers = {}
    for field, label in SORTABLE:
        active = key == field
        next_value = f"-{field}" if active and not descending else field
        headers[field] = {
            "label": label,
            "url": "?" + _query_without(params, "page", ordering=next_value),
            "active": active,
            "aria_sort": ("descending" if descending else "ascending") if active else "none",
            "arrow": ("▼" if descending else "▲") if active else "",
        }
    return headers


def _page_size(params) -> int:
    try:
        size = int(params.get("page_size", PAGE_SIZES[0]))
    except ValueError:
        return PAGE_SIZES[0]
    return size if size in PAGE_SIZES else PAGE_SIZES[0]


@login_required
def case_list(request):
    user = request.user
    filterset = selectors.case_filter(user, request.GET, request=request)
    valid = filterset.is_valid()
    queryset = selectors.list_row_values(filterset.qs if valid else Case.objects.none())
    paginator = counts.CachedCountPaginator(
        queryset,
        _page_size(request.GET),
        user=user,
        params=request.GET,
        rows=selectors.plain_list_rows(user, request.GET) if valid else None,
    )
    page = paginator.get_page(request.GET.get("page"))
    cases = list(page.object_list)
    active_filters = [
        name
        for name in ("status", "practice", "dentist", "priority", "due_after", "due_before", "late", "search")
        if request.GET.get(name)
    ]
    context = {
        "filterset": filterset,
        "filter_form": filterset.form,
        "page": page,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "cases": cases,
        "rows": rows.case_list_rows(
            cases,
            items=selectors.item_lines([case.pk for case in cases]) if cases else {},
            hold_reasons=selectors.hold_reasons(user, cases),
            show_practice=user.is_lab_staff,
            today=lab_today(),
        ),
        "headers": _sort_headers(request.GET),
        "page_query": _query_without(request.GET, "page"),
        "export_query": _query_without(request.GET, "page", "page_size"),
        "active_filters": active_filters,
        "page_sizes": PAGE_SIZES,
        "page_size": _page_size(request.GET),
        "statuses": Status.choices,
        "selected_statuses": set(filterset.form.cleaned_data.get("status") or []) if valid else set(),
    }
    return render(request, "cases/case_list.html", context, status=200 if valid else 400)


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A CSV cell that spreadsheets will not run as a formula (CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


@login_required
def case_export(request):
    """The filtered list as CSV (same filters as the page). Prices only for who may see them."""
    user = request.user
    try:
        cases = selectors.case_list(user, request.GET, request=request)
    except ValidationError as exc:
        return HttpResponseBadRequest("; ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
    show_prices = can_see_prices(user)
    notation = settings.TOOTH_NOTATION
    header = [
        "Case", "Status", "Priority", "Practice", "Dentist", "Patient", "Pan", "Due date",
        "Ship by", "Received", "Shipped", "Technician", "Items", "Late",
    ]  # fmt: skip
    if show_prices:
        header.append("Total")
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    response["Content-Disposition"] = f'attachment; filename="cases-{stamp}.csv"'
    response.write("\ufeff")  # so spreadsheet programs read UTF-8
    writer = csv.writer(response)
    writer.writerow(header)
    count = 0
    for case in cases.iterator(chunk_size=500):
        count += 1
        items = list(case.items.all())
        row = [
            case.number,
            case.get_status_display(),
            case.get_priority_display(),
            case.practice.name,
            case.dentist.name,
            case.patient_name,
            case.pan_number,
            case.due_date.isoformat() if case.due_date else "",
            case.ship_by.isoformat() if case.ship_by else "",
            timezone.localtime(case.received_at).strftime("%Y-%m-%d %H:%M") if case.received_at else "",
            timezone.localtime(case.shipped_at).strftime("%Y-%m-%d %H:%M") if case.shipped_at else "",
            case.assigned_technician.name if case.assigned_technician else "",
            "; ".join(f"{item.product.name} ×{item.quantity} ({teeth_label(item.teeth, notation)})" for item in items),
            "yes" if case.is_late else "",
        ]
        if show_prices:
            row.append(f"{sum((item.line_total for item in items), start=Decimal('0')):.2f}")
        writer.writerow([_cell(value) for value in row])
    # Which filters were used, not their values: a search may be a patient's name.
    record(
        AuditAction.CASE_EXPORTED,
        request=request,
        detail={"count": count, "filters": sorted(k for k in request.GET if request.GET.get(k))},
    )
    return response

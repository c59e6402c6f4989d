"""Shipping pages: the ship form ("Mark shipped" on the case page leads here), the daily manifest,
pickups. Thin: visibility from selectors, rules from shipping.policy, writes through services."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts.models import Practice
from accounts.policy import is_lab_staff, require
from cases.models import Status
from cases.selectors import get_case_for
from shipping import policy, selectors, services
from shipping.exceptions import CaseCannotShip
from shipping.forms import PickupForm, ShipForm


def _form_errors(form, exc: ValidationError) -> None:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {None: exc.messages}
    for name, messages_ in errors.items():
        for message in messages_:
            form.add_error(name if name in form.fields else None, message)


def _case_id(request) -> int:
    raw = request.POST.get("case") or request.GET.get("case") or ""
    if not raw.isdigit():
        raise Http404("No such case.")
    return int(raw)


@login_required
@require(policy.can_ship)
def ship(request):
    """Ship a case, and any of its practice's other QC-passed cases in the same box."""
    case = get_case_for(request.user, _case_id(request), queryset=None)
    if case.status != Status.QUALITY_CHECK:
        messages.error(request, f"Case {case.number} is {case.get_status_display().lower()}; it cannot be shipped now.")
        return redirect("cases:detail", pk=case.pk)
    form = ShipForm(request.POST or None, user=request.user, practice=case.practice, initial={"cases": [case.pk]})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            shipment = services.ship_cases(
                actor=request.user,
                courier=data["courier"],
                tracking_number=data["tracking_number"],
                case_ids=[c.pk for c in data["cases"]],
                practice=case.practice,
                request=request,
            )
        except CaseCannotShip as exc:
            form.add_error("cases", exc.message)
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            count = len(data["cases"])
            numbers = ", ".join(c.number for c in data["cases"])
            messages.success(
                request, f"Shipped {count} case{'s' if count != 1 else ''} ({numbers}) with {shipment.courier.name}."
            )
            return redirect("cases:detail", pk=case.pk)
    return render(request, "shipping/ship_form.html", {"case": case, "form": form})


def _day(request) -> datetime.date:
    raw = request.GET.get("date") or ""
    if not raw:
        return timezone.localdate()
    try:
        return datetime.date.fromisoformat(raw)
    except ValueError:
        return None


@login_required
@require(policy.can_view_manifest)
def manifest(request):
    """The day's manifest per courier, printable (A4 or Letter)."""
    day = _day(request)
    if day is None:
        messages.error(request, "The date must look like 2026-05-14.")
        day = timezone.localdate()
    courier = None
    if request.GET.get("courier"):
        courier = (
            selectors.couriers_for(request.user, include_inactive=True)
            .filter(pk=request.GET["courier"] if request.GET["courier"].isdigit() else 0)
            .first()
        )
        if courier is None:
            raise Http404("No such courier.")
    sheets = selectors.manifest(request.user, day=day, courier=courier)
    context = {
        "day": day,
        "sheets": sheets,
        "courier": courier,
        "couriers": selectors.couriers_for(request.user),
        "previous": day - datetime.timedelta(days=1),
        "next": day + datetime.timedelta(days=1),
        "printed_at": timezone.localtime(),
    }
    return render(request, "shipping/manifest.html", context)


@login_required
def pickups(request):
    """Dentists: request a pickup and see their practice's; lab staff: every upcoming pickup."""
    user = request.user
    lab = is_lab_staff(user)
    if not lab and not policy.can_request_pickup(user, getattr(user, "practice", None)):
        raise PermissionDenied
    practices = Practice.objects.visible_to(user).filter(active=True)
    form = PickupForm(request.POST or None, practices=practices, ask_practice=lab)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pickup = services.request_pickup(
                actor=user,
                practice=data["practice"] if lab else user.practice,
                date=data["date"],
                window_start=data["window_start"],
                window_end=data["window_end"],
                note=data.get("note", ""),
                request=request,
            )
        except ValidationError as exc:
            _form_errors(form, exc)
        else:
            messages.success(
                request,
                f"Pickup requested for {pickup.date:%a %-d %b}, {pickup.window_start:%H:%M}–{pickup.window_end:%H:%M}.",
            )
            return redirect("shipping:pickups")
    upcoming = selectors.pickups_for(user, upcoming_only=True)[:100]
    return render(request, "shipping/pickups.html", {"form": form, "pickups": upcoming, "lab": lab})


@login_required
@require_POST
@require(policy.can_complete_pickup)
def pickup_done(request, pk):
    pickup = selectors.get_pickup_for(request.user, pk)
    services.complete_pickup(actor=request.user, pickup=pickup, request=request)
    messages.success(request, f"Pickup at {pickup.practice.name} marked done.")
    back = request.POST.get("next", "")
    # Only back to a shipping page of this site (the manifest it was ticked on, or the list).
    return redirect(back if back.startswith("/shipping/") and "//" not in back else "shipping:pickups")

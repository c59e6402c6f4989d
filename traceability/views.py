"""Traceability pages: materials, lots (with the recall list and its CSV), recording lots on a
case, the statement's corrected versions, and the lab profile. Thin: parse the form, call a
service, show its refusal next to the field it names."""

import csv
from urllib.parse import quote

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from accounts.models import LabProfile
from accounts.policy import can_manage_lab, require
from cases.selectors import get_case_for
from dentallab.exceptions import AppError
from dentallab.forms import add_app_error
from traceability import gs1, policy, selectors, services
from traceability.forms import (
    DeclarationForm,
    LabProfileForm,
    LotForm,
    LotStatusForm,
    MaterialForm,
    RegenerateForm,
    UsageForm,
)
from traceability.models import LotStatus, LotUsage, Material, MaterialCategory

PAGE_SIZE = 50


def _validation_to_form(form, exc: ValidationError) -> None:
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


# --- materials ---------------------------------------------------------------------------------


@login_required
@require(policy.can_read_materials)
@require_GET
def material_list(request):
    search = request.GET.get("q", "").strip()[:100]
    page = Paginator(selectors.materials_for(request.user, search=search), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "traceability/material_list.html",
        {"page": page, "materials": page.object_list, "search": search, "can_manage": can_manage_lab(request.user)},
    )


def _material_form_page(request, *, material=None):
    if request.method == "POST":
        form = MaterialForm(request.POST)
        if form.is_valid():
            try:
                if material is None:
                    material = services.create_material(actor=request.user, data=form.cleaned_data)
                    messages.success(request, f"Material “{material.name}” added.")
                else:
                    material = services.update_material(actor=request.user, material=material, data=form.cleaned_data)
                    messages.success(request, f"Material “{material.name}” saved.")
            except AppError as exc:
                add_app_error(form, exc)
            else:
                after = request.POST.get("next", "")
                if after.startswith("/traceability/lots/new/"):
                    return redirect(f"{after}{'&' if '?' in after else '?'}material={material.pk}")
                return redirect("traceability:materials")
    elif material is not None:
        form = MaterialForm(
            initial={
                name: getattr(material, name)
                for name in MaterialForm.base_fields
                if hasattr(material, name)  # every form field is a model field
            }
        )
    else:
        form = MaterialForm(
            initial={
                "gtin": request.GET.get("gtin", "")[:20],
                "category": request.GET.get("category") or MaterialCategory.OTHER,
                "active": True,
            }
        )
    return render(
        request,
        "traceability/material_form.html",
        {"form": form, "material": material, "next": request.GET.get("next", request.POST.get("next", ""))},
    )


@login_required
@require(policy.can_manage_materials)
def material_create(request):
    return _material_form_page(request)


@login_required
@require(policy.can_manage_materials)
def material_edit(request, pk):
    return _material_form_page(request, material=selectors.get_material_for(request.user, pk))


# --- lots --------------------------------------------------------------------------------------


@login_required
@require(policy.can_read_materials)
@require_GET
def lot_list(request):
    status = request.GET.get("status", "")
    status = status if status in LotStatus.values else ""
    search = request.GET.get("q", "").strip()[:100]
    lots = selectors.lots_for(request.user, status=status, search=search)
    page = Paginator(lots, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "traceability/lot_list.html",
        {
            "page": page,
            "lots": page.object_list,
            "status": status,
            "search": search,
            "statuses": LotStatus.choices,
            "today": timezone.localdate(),
            "can_manage": can_manage_lab(request.user),
        },
    )


def _scan(barcode: str, user, values: dict) -> dict:
    """Read a scanned code into the lot form's values; returns what the page says about it: the
    parsed values, the material found by GTIN, or the link that creates an unknown one, or the
    reason it is not GS1."""
    try:
        data = gs1.parse_barcode(barcode)
    except AppError as exc:
        return {"error": exc.message}
    material = Material.objects.visible_to(user).filter(gtin=data.gtin).first() if data.gtin else None
    if material:
        values["material"] = material.pk
    if data.lot:
        values["lot_number"] = data.lot
    if data.expires_on:
        values["expires_on"] = data.expires_on.isoformat()
    result = {"parsed": data, "material": material}
    if data.gtin and material is None:
        back = reverse("traceability:lot_create") + "?barcode=" + quote(barcode, safe="")
        result["create_material_url"] = (
            reverse("traceability:material_create") + f"?gtin={data.gtin}&next=" + quote(back, safe="")
        )
    return result


@login_required
@require(policy.can_manage_materials)
def lot_create(request):
    scan = {}
    if request.method == "POST" and request.POST.get("action") != "scan":
        form = LotForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            material = form.cleaned_data["material"]
            if material is None:
                form.add_error("material", "Choose the material (or scan its barcode).")
            else:
                try:
                    lot = services.create_lot(
                        actor=request.user,
                        material=material,
                        data=form.cleaned_data,
                        certificate=form.cleaned_data.get("certificate"),
                    )
                except AppError as exc:
                    add_app_error(form, exc)
                else:
                    messages.success(request, f"Lot {lot.lot_number} of {material.name} added.")
                    return redirect("traceability:lot_detail", pk=lot.pk)
    else:
        source = request.POST if request.method == "POST" else request.GET
        values = {
            name: source.get(name, "")
            for name in ("barcode", "material", "lot_number", "expires_on", "received_on", "supplier")
        }
        if values["barcode"]:
            scan = _scan(values["barcode"], request.user, values)
        form = LotForm(initial={k: v for k, v in values.items() if v not in ("", None)}, user=request.user)
    return render(request, "traceability/lot_form.html", {"form": form, "scan": scan})


@login_required
@require(policy.can_read_materials)
def lot_detail(request, pk):
    lot = selectors.get_lot_for(request.user, pk)
    status_form = LotStatusForm(initial={"status": lot.status, "reason": lot.status_reason})
    rows = selectors.recall_cases(request.user, lot)
    return render(
        request,
        "traceability/lot_detail.html",
        {
            "lot": lot,
            "rows": rows,
            "status_form": status_form if can_manage_lab(request.user) else None,
            "today": timezone.localdate(),
            "refusal": services.lot_refusal(lot, today=timezone.localdate()),
        },
    )


@login_required
@require(policy.can_manage_materials)
@require_POST
def lot_status(request, pk):
    lot = selectors.get_lot_for(request.user, pk)
    form = LotStatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose a status.")
        return redirect("traceability:lot_detail", pk=lot.pk)
    try:
        lot = services.set_lot_status(
            actor=request.user, lot=lot, status=form.cleaned_data["status"], reason=form.cleaned_data["reason"]
        )
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Lot {lot.lot_number} is now {lot.get_status_display().lower()}.")
    return redirect("traceability:lot_detail", pk=lot.pk)


CSV_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection)."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_DANGEROUS) else text


@login_required
@require(policy.can_read_materials)
@require_GET
def lot_recall_csv(request, pk):
    lot = selectors.get_lot_for(request.user, pk)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="recall-lot-{lot.pk}.csv"'
    response["Cache-Control"] = "private, no-store"
    writer = csv.writer(response)
    writer.writerow(
        ["case", "status", "practice", "practice_address", "dentist", "patient", "shipped", "items", "material", "lot"]
    )
    for row in selectors.recall_cases(request.user, lot):
        case = row["case"]
        writer.writerow(
            [
                csv_safe(value)
                for value in (
                    case.number,
                    case.get_status_display(),
                    case.practice.name,
                    case.practice.address.replace("\n", ", "),
                    case.dentist.name,
                    case.patient_name,
                    timezone.localtime(case.shipped_at).date().isoformat() if case.shipped_at else "",
                    "; ".join(row["items"]),
                    lot.material.name,
                    lot.lot_number,
                )
            ]
        )
    from accounts.audit import AuditAction, record

    record(AuditAction.CASE_EXPORTED, request=request, detail={"recall_lot": lot.pk, "rows": "csv"})
    return response


@login_required
@require(policy.can_read_materials)
@require_GET
def lot_certificate(request, pk):
    lot = selectors.get_lot_for(request.user, pk)
    if not lot.certificate:
        raise Http404
    return _private_file(lot.certificate.name, f"certificate-{lot.lot_number}")


def _private_file(key: str, stem: str):
    ext = key.rsplit(".", 1)[-1].lower()
    content_type = {"pdf": "application/pdf", "png": "image/png", "jpg": "image/jpeg"}.get(ext)
    if content_type is None:
        raise Http404
    response = FileResponse(default_storage.open(key, "rb"), content_type=content_type, filename=f"{stem}.{ext}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response


# --- a case's lots -----------------------------------------------------------------------------


def _case_page(case, anchor="materials"):
    return redirect(reverse("cases:detail", args=[case.pk]) + f"#{anchor}")


@login_required
@require_POST
def case_lot_add(request, case_id):
    case = get_case_for(request.user, case_id)
    if not policy.can_record_usage(request.user, case):
        raise_forbidden(policy.usage_refusal(request.user, case))
    form = UsageForm(request.POST, user=request.user, case=case)
    if not form.is_valid():
        messages.error(request, "Choose the item and the lot (or scan the lot's barcode).")
        return _case_page(case)
    lot = form.cleaned_data["lot"]
    try:
        if form.cleaned_data["barcode"]:
            data = gs1.parse_barcode(form.cleaned_data["barcode"])
            lot = selectors.find_lot(request.user, gtin=data.gtin, lot_number=data.lot)
            if lot is None:
                raise AppError(
                    f"No lot {data.lot or '(no lot in the code)'} of GTIN {data.gtin or '—'} is in stock; "
                    "add it on the lots page first.",
                    field="barcode",
                )
        if lot is None:
            raise AppError("Choose a lot or scan its barcode.", field="lot")
        services.record_usage(actor=request.user, case=case, item=form.cleaned_data["item"], lot=lot, request=request)
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Lot {lot.lot_number} of {lot.material.name} recorded.")
    return _case_page(case)


def raise_forbidden(message: str):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied(message)


@login_required
@require_POST
def usage_remove(request, pk):
    usage = get_object_or_404(LotUsage.objects.visible_to(request.user).select_related("case"), pk=pk)
    if not policy.can_record_usage(request.user, usage.case):
        raise_forbidden(policy.usage_refusal(request.user, usage.case))
    services.remove_usage(actor=request.user, usage=usage, request=request)
    messages.success(request, "Lot removed from the item.")
    return _case_page(usage.case)


@login_required
@require_POST
def case_declaration(request, case_id):
    case = get_case_for(request.user, case_id)
    if not policy.can_edit_declaration(request.user, case):
        raise_forbidden(policy.usage_refusal(request.user, case))
    form = DeclarationForm(request.POST)
    if form.is_valid():
        try:
            services.set_declaration(
                actor=request.user, case=case, annex_i_deviations=form.cleaned_data["annex_i_deviations"]
            )
        except AppError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Declaration saved; it prints on the statement of manufacture.")
    else:
        messages.error(request, "Keep it under 2,000 characters.")
    return _case_page(case)


@login_required
@require(policy.can_regenerate_statement)
@require_POST
def statement_regenerate(request, case_id):
    case = get_case_for(request.user, case_id)
    form = RegenerateForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say what was corrected.")
        return _case_page(case, "statement")
    try:
        statement = services.regenerate_statement(
            actor=request.user, case=case, reason=form.cleaned_data["reason"], request=request
        )
    except AppError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, f"Statement of manufacture version {statement.version} issued.")
    return _case_page(case, "statement")


# --- the lab profile -----------------------------------------------------------------------------


@login_required
@require(policy.can_edit_lab_profile)
def lab_profile(request):
    profile = LabProfile.current()
    if request.method == "POST":
        form = LabProfileForm(request.POST, request.FILES, instance=LabProfile.current())
        if form.is_valid():
            try:
                services.update_lab_profile(
                    actor=request.user,
                    data=form.cleaned_data,
                    logo=form.cleaned_data.get("logo_upload"),
                    remove_logo=form.cleaned_data.get("remove_logo", False),
                )
            except AppError as exc:
                form.add_error("logo_upload" if exc.field == "logo" else exc.field, exc.message)
            except ValidationError as exc:
                _validation_to_form(form, exc)
            else:
                messages.success(request, "Lab profile saved.")
                return redirect("traceability:lab_profile")
    else:
        form = LabProfileForm(instance=profile)
    return render(
        request,
        "traceability/lab_profile.html",
        {"form": form, "profile": profile, "gaps": selectors.lab_profile_gaps(profile)},
    )

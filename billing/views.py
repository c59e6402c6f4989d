"""Billing pages (DESIGN §13): /billing/ (invoices, credit notes, payments, balance, statements),
an invoice's page, PDFs, recording payments and credits, the accounting export, and the price list
at /prices/. Thin: parse the form, call a service, show its refusal next to the field it names.
Technicians get 403 everywhere (no money); a dentist sees their own practice's documents (another
practice's: 404)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from accounts.models import Practice
from accounts.policy import is_dentist, require
from billing import documents, policy, selectors, services
from billing.api import pdf_response
from billing.export import export_csv
from billing.forms import (
    CreditForm,
    ExportForm,
    PaymentForm,
    PracticeTermsForm,
    ProductCreateForm,
    ProductPriceForm,
    ReasonForm,
    StatementForm,
)
from billing.models import InvoiceStatus, PaymentAllocation, PriceChange
from billing.statements import balance, compute_statement, parse_month
from cases.models import PracticePrice, Product
from dentallab.exceptions import AppError
from dentallab.forms import add_app_error

PAGE_SIZE = 25


# ---- /billing/ ----------------------------------------------------------------------------------


@login_required
@require(policy.can_see_billing)
@require_GET
def home(request):
    user = request.user
    manager = policy.can_manage_billing(user)
    practice = None
    if is_dentist(user):
        practice = user.practice
    elif request.GET.get("practice", "").isdigit():
        practice = get_object_or_404(Practice.objects.visible_to(user), pk=int(request.GET["practice"]))
    status = request.GET.get("status", "")
    invoices = selectors.invoices_for(
        user,
        practice=str(practice.pk) if practice else "",
        status=status if status in InvoiceStatus.values else "",
        with_lines=False,
    )
    page = Paginator(invoices, PAGE_SIZE).get_page(request.GET.get("page"))
    credits = selectors.credit_notes_for(user, practice=str(practice.pk) if practice else "")[:10]
    payments = selectors.payments_for(user, practice=str(practice.pk) if practice else "")[:10]
    today = timezone.localdate()
    return render(
        request,
        "billing/home.html",
        {
            "page": page,
            "invoices": page.object_list,
            "credit_notes": credits,
            "payments": payments,
            "practice": practice,
            "practices": Practice.objects.visible_to(user).order_by("name") if manager else [],
            "balance": balance(practice.pk) if practice else None,
            "statuses": InvoiceStatus.choices,
            "status": status,
            "is_manager": manager,
            "this_month": f"{today:%Y-%m}",
            "currency": settings.CURRENCY,
        },
    )


@login_required
@require(policy.can_see_billing)
@require_GET
def invoice_detail(request, pk):
    invoice = selectors.get_invoice_for(request.user, pk)
    manager = policy.can_manage_billing(request.user)
    allocations = (
        PaymentAllocation.objects.filter(invoice=invoice).select_related("payment").order_by("allocated_on", "id")
    )
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            "credit_notes": invoice.credit_notes.order_by("issued_on", "id"),
            "allocations": allocations,
            "is_manager": manager,
            "credit_form": CreditForm(initial={"amount": invoice.creditable}) if manager else None,
            "void_form": ReasonForm(prefix="void") if manager else None,
        },
    )


@login_required
@require(policy.can_see_billing)
@require_GET
def invoice_pdf(request, pk):
    invoice = selectors.get_invoice_for(request.user, pk)
    return pdf_response(
        request,
        documents.invoice_pdf(invoice),
        f"{invoice.number}.pdf",
        obj=invoice,
        case_id=invoice.case_id,
        document="invoice",
    )


@login_required
@require(policy.can_see_billing)
@require_GET
def credit_note_pdf(request, pk):
    note = selectors.get_credit_note_for(request.user, pk)
    return pdf_response(
        request,
        documents.credit_note_pdf(note),
        f"{note.number}.pdf",
        obj=note,
        case_id=note.invoice.case_id,
        document="credit_note",
    )


@login_required
@require(policy.can_manage_billing)
@require_POST
def invoice_credit(request, pk):
    invoice = selectors.get_invoice_for(request.user, pk)
    form = CreditForm(request.POST)
    if form.is_valid():
        try:
            note = services.issue_credit_note(
                invoice=invoice,
                amount=form.cleaned_data["amount"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except AppError as exc:
            add_app_error(form, exc)
        else:
            messages.success(request, f"Credit note {note.number} issued.")
            return redirect("billing:invoice", pk=invoice.pk)
    return _invoice_with_forms(request, invoice, credit_form=form)


@login_required
@require(policy.can_manage_billing)
@require_POST
def invoice_void(request, pk):
    invoice = selectors.get_invoice_for(request.user, pk)
    form = ReasonForm(request.POST, prefix="void")
    if form.is_valid():
        try:
            note = services.void_invoice(invoice=invoice, reason=form.cleaned_data["reason"], actor=request.user)
        except AppError as exc:
            add_app_error(form, exc)
        else:
            messages.success(request, f"Invoice {invoice.number} voided by credit note {note.number}.")
            return redirect("billing:invoice", pk=invoice.pk)
    return _invoice_with_forms(request, invoice, void_form=form)


def _invoice_with_forms(request, invoice, *, credit_form=None, void_form=None):
    return render(
        request,
        "billing/invoice_detail.html",
        {
            "invoice": invoice,
            "credit_notes": invoice.credit_notes.order_by("issued_on", "id"),
            "allocations": PaymentAllocation.objects.filter(invoice=invoice).select_related("payment"),
            "is_manager": True,
            "credit_form": credit_form or CreditForm(initial={"amount": invoice.creditable}),
            "void_form": void_form or ReasonForm(prefix="void"),
        },
        status=400,
    )


@login_required
@require(policy.can_manage_billing)
@require_http_methods(["GET", "POST"])
def payment_create(request):
    initial = {"received_on": timezone.localdate(), "method": "transfer"}
    if request.GET.get("practice", "").isdigit():
        initial["practice"] = int(request.GET["practice"])
    if request.GET.get("invoice", "").isdigit():
        initial["invoice"] = int(request.GET["invoice"])
    form = PaymentForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        allocations = None
        if data.get("invoice"):
            invoice = selectors.get_invoice_for(request.user, data["invoice"])
            allocations = [
                services.AllocationInput(invoice=invoice.pk, amount=min(invoice.balance, _amount(data["amount"])))
            ]
        try:
            payment = services.record_payment(
                practice=data["practice"],
                amount=data["amount"],
                received_on=data["received_on"],
                method=data["method"],
                reference=data["reference"],
                allocations=allocations,
                actor=request.user,
                request=request,
            )
        except AppError as exc:
            add_app_error(form, exc)
        else:
            messages.success(
                request,
                f"Payment of {payment.amount} {settings.CURRENCY} recorded"
                + (f"; {payment.unallocated} stays as the practice's credit." if payment.unallocated else "."),
            )
            return redirect(f"{reverse('billing:home')}?practice={payment.practice_id}")
    return render(request, "billing/payment_form.html", {"form": form}, status=400 if form.errors else 200)


def _amount(value):
    try:
        return services.parse_amount(value)
    except AppError:
        return services.ZERO


@login_required
@require(policy.can_manage_billing)
@require_POST
def payment_reverse(request, pk):
    payment = selectors.get_payment_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Say why the payment is reversed.")
    else:
        try:
            services.reverse_payment(payment=payment, reason=form.cleaned_data["reason"], actor=request.user)
        except AppError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "Payment reversed; the invoices it paid are open again.")
    return redirect(f"{reverse('billing:home')}?practice={payment.practice_id}")


# ---- statements ---------------------------------------------------------------------------------


def _statement_args(request):
    user = request.user
    if is_dentist(user):
        practice_id = request.GET.get("practice") or str(user.practice_id)
    else:
        practice_id = request.GET.get("practice", "")
    if not practice_id.isdigit():
        return None, None
    practice = selectors.get_practice_for(user, int(practice_id))
    month = parse_month(request.GET.get("month", ""))
    return practice, month


@login_required
@require(policy.can_see_billing)
@require_GET
def statement(request):
    form = StatementForm(request.GET or None, user=request.user)
    try:
        practice, month = _statement_args(request)
    except AppError as exc:
        form.is_valid()
        add_app_error(form, exc)
        practice = month = None
    data = compute_statement(practice, month) if practice else None
    return render(
        request,
        "billing/statement.html",
        {"form": form, "statement": data, "practice": practice, "currency": settings.CURRENCY},
        status=400 if form.errors and not data else 200,
    )


@login_required
@require(policy.can_see_billing)
@require_GET
def statement_pdf(request):
    practice, month = _statement_args(request)
    if practice is None:
        raise AppError("Choose a practice.", field="practice")
    data = compute_statement(practice, month)
    return pdf_response(
        request,
        documents.statement_pdf(data, currency=settings.CURRENCY),
        f"statement-{practice.pk}-{data.month_label}.pdf",
        obj=practice,
        document="statement",
    )


# ---- accounting export --------------------------------------------------------------------------


@login_required
@require(policy.can_manage_billing)
@require_GET
def export(request):
    today = timezone.localdate()
    form = ExportForm(request.GET or None, initial={"start": today.replace(day=1), "end": today})
    if request.GET and form.is_valid():
        data = form.cleaned_data
        body = export_csv(layout=data["layout"], kind=data["kind"], start=data["start"], end=data["end"])
        response = HttpResponse(body.encode("utf-8"), content_type="text/csv; charset=utf-8")
        name = f"{data['layout']}-{data['kind']}-{data['start']:%Y%m%d}-{data['end']:%Y%m%d}.csv"
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return render(request, "billing/export.html", {"form": form}, status=400 if form.errors else 200)


# ---- the price list -----------------------------------------------------------------------------


@login_required
@require(policy.can_edit_prices)
@require_GET
def prices(request):
    products = Product.objects.order_by("category", "name")
    practices = Practice.objects.order_by("name").prefetch_related(
        Prefetch("prices", queryset=PracticePrice.objects.select_related("product"))
    )
    history = PriceChange.objects.select_related("product", "practice", "changed_by")[:50]
    return render(
        request,
        "billing/prices.html",
        {"products": products, "practices": practices, "history": history, "currency": settings.CURRENCY},
    )


@login_required
@require(policy.can_edit_prices)
@require_http_methods(["GET", "POST"])
def product_edit(request, pk):
    product = get_object_or_404(Product, pk=pk)
    initial = {f: getattr(product, f) for f in ("name", "category", "unit", "price", "turnaround_days", "active")}
    form = ProductPriceForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_product(product=product, actor=request.user, changes=dict(form.cleaned_data))
        except AppError as exc:
            add_app_error(form, exc)
        except ValidationError as exc:
            for name, errors in exc.message_dict.items():
                form.add_error(name if name in form.fields else None, errors)
        else:
            messages.success(
                request, f"{product.code} saved. Cases already priced and issued invoices keep their prices."
            )
            return redirect("billing:prices")
    return render(
        request, "billing/product_form.html", {"form": form, "product": product}, status=400 if form.errors else 200
    )


@login_required
@require(policy.can_edit_prices)
@require_http_methods(["GET", "POST"])
def product_new(request):
    form = ProductCreateForm(request.POST or None, initial={"active": True, "turnaround_days": 5})
    if request.method == "POST" and form.is_valid():
        try:
            product = services.create_product(actor=request.user, **form.cleaned_data)
        except AppError as exc:
            add_app_error(form, exc)
        else:
            messages.success(request, f"{product.code} added to the price list.")
            return redirect("billing:prices")
    return render(
        request, "billing/product_form.html", {"form": form, "product": None}, status=400 if form.errors else 200
    )


@login_required
@require(policy.can_edit_prices)
@require_http_methods(["GET", "POST"])
def practice_terms(request, pk):
    practice = get_object_or_404(Practice, pk=pk)
    products = list(Product.objects.order_by("category", "name"))
    overrides = {p.product_id: p.price for p in PracticePrice.objects.filter(practice=practice)}
    form = PracticeTermsForm(
        request.POST or None,
        initial={
            "discount_percent": practice.discount_percent,
            "tax_exempt": practice.tax_exempt,
            "payment_terms_days": practice.payment_terms_days,
        },
    )
    override_errors = {}
    if request.method == "POST" and form.is_valid():
        try:
            services.set_practice_terms(practice=practice, actor=request.user, **form.cleaned_data)
        except AppError as exc:
            add_app_error(form, exc)
        else:
            for product in products:
                raw = request.POST.get(f"price_{product.pk}", "").strip()
                current = overrides.get(product.pk)
                if raw == (f"{current}" if current is not None else ""):
                    continue
                try:
                    services.set_practice_price(practice=practice, product=product, price=raw, actor=request.user)
                except AppError as exc:
                    override_errors[product.pk] = exc.message
            if not override_errors:
                messages.success(request, f"{practice.name}'s terms and prices saved.")
                return redirect("billing:prices")
            overrides = {p.product_id: p.price for p in PracticePrice.objects.filter(practice=practice)}
    rows = [
        {
            "product": p,
            "override": request.POST.get(f"price_{p.pk}", overrides.get(p.pk, ""))
            if request.method == "POST"
            else overrides.get(p.pk, ""),
            "error": override_errors.get(p.pk, ""),
        }
        for p in products
    ]
    return render(
        request,
        "billing/practice_terms.html",
        {"form": form, "practice": practice, "rows": rows, "default_terms": settings.PAYMENT_TERMS_DAYS},
        status=400 if form.errors or override_errors else 200,
    )

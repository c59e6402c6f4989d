"""Billing in Django admin: read-only. Issued documents never change, payments are reversed and
never deleted, and every write goes through billing.services (the pages and the API)."""

from django.contrib import admin

from billing.models import CreditNote, Invoice, InvoiceLine, Payment, PaymentAllocation, PriceChange


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class InvoiceLineInline(admin.TabularInline):
    model = InvoiceLine
    extra = 0
    can_delete = False
    readonly_fields = ["position", "description", "teeth", "quantity", "unit_price", "amount"]

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Invoice)
class InvoiceAdmin(ReadOnlyAdmin):
    list_display = ["number", "practice", "case", "issued_on", "due_on", "total", "status"]
    list_filter = ["status"]
    search_fields = ["number", "case__number", "practice__name"]
    list_select_related = ["practice", "case"]
    inlines = [InvoiceLineInline]


@admin.register(CreditNote)
class CreditNoteAdmin(ReadOnlyAdmin):
    list_display = ["number", "invoice", "practice", "issued_on", "amount", "kind"]
    list_select_related = ["invoice", "practice"]
    search_fields = ["number", "invoice__number"]


@admin.register(Payment)
class PaymentAdmin(ReadOnlyAdmin):
    list_display = ["practice", "received_on", "amount", "method", "reference", "unallocated", "reversed_on"]
    list_select_related = ["practice"]


@admin.register(PaymentAllocation)
class PaymentAllocationAdmin(ReadOnlyAdmin):
    list_display = ["payment", "invoice", "amount", "allocated_on"]
    list_select_related = ["payment", "invoice"]


@admin.register(PriceChange)
class PriceChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "changed_by", "product", "practice", "field", "old_value", "new_value"]
    list_select_related = ["changed_by", "product", "practice"]

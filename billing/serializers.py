"""JSON shapes of the billing API (DESIGN §13). Amounts are strings with two decimals ("125.50"),
as DRF renders decimals everywhere else in the API. Writes go through billing.services."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from billing.models import CreditNote, Invoice, InvoiceLine, Payment, PaymentMethod


class BillingCaseRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(read_only=True)


class BillingPracticeRefSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    name = serializers.CharField(read_only=True)


class InvoiceLineSerializer(serializers.ModelSerializer):
    teeth = serializers.ListField(child=serializers.IntegerField(), read_only=True)

    class Meta:
        model = InvoiceLine
        fields = ["description", "teeth", "quantity", "unit_price", "amount"]


class InvoiceSerializer(serializers.ModelSerializer):
    case = BillingCaseRefSerializer(read_only=True)
    practice = BillingPracticeRefSerializer(read_only=True)
    balance = serializers.DecimalField(max_digits=12, decimal_places=2, read_only=True)
    lines = InvoiceLineSerializer(many=True, read_only=True)

    class Meta:
        model = Invoice
        fields = [
            "id",
            "number",
            "case",
            "practice",
            "issued_on",
            "due_on",
            "status",
            "currency",
            "subtotal",
            "surcharge",
            "discount",
            "tax",
            "total",
            "balance",
            "lines",
        ]
        read_only_fields = fields


class CreditNoteSerializer(serializers.ModelSerializer):
    invoice = serializers.PrimaryKeyRelatedField(read_only=True)
    invoice_number = serializers.CharField(source="invoice.number", read_only=True)
    practice = BillingPracticeRefSerializer(read_only=True)

    class Meta:
        model = CreditNote
        fields = ["id", "number", "invoice", "invoice_number", "practice", "issued_on", "amount", "reason", "kind"]
        read_only_fields = fields


class CreditNoteInputSerializer(serializers.Serializer):
    invoice = serializers.IntegerField()
    # Parsed by the service (clear messages for 0, negatives, too many decimals).
    amount = serializers.CharField(max_length=30)
    reason = serializers.CharField(max_length=2000)


class PaymentAllocationSerializer(serializers.Serializer):
    invoice = serializers.IntegerField()
    amount = serializers.CharField(max_length=30)


class PaymentAllocationOutSerializer(serializers.Serializer):
    invoice = serializers.IntegerField()
    invoice_number = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class PaymentSerializer(serializers.ModelSerializer):
    practice = BillingPracticeRefSerializer(read_only=True)
    allocations = serializers.SerializerMethodField()

    class Meta:
        model = Payment
        fields = [
            "id",
            "practice",
            "amount",
            "received_on",
            "method",
            "reference",
            "unallocated",
            "allocations",
            "reversed_on",
            "reversal_reason",
        ]
        read_only_fields = fields

    @extend_schema_field(PaymentAllocationOutSerializer(many=True))
    def get_allocations(self, payment):
        """Net money of this payment on each invoice (after reversals and released credit)."""
        nets: dict[int, dict] = {}
        for allocation in payment.allocations.all():
            row = nets.setdefault(
                allocation.invoice_id, {"invoice": allocation.invoice_id, "invoice_number": allocation.invoice.number}
            )
            row["amount"] = row.get("amount", 0) + allocation.amount
        return [{**row, "amount": f"{row['amount']:.2f}"} for row in nets.values() if row["amount"] != 0]


class PaymentInputSerializer(serializers.Serializer):
    practice = serializers.IntegerField()
    amount = serializers.CharField(max_length=30)
    received_on = serializers.DateField()
    method = serializers.ChoiceField(choices=PaymentMethod.choices)
    reference = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    allocations = PaymentAllocationSerializer(many=True, required=False)


class PaymentReversalSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=2000)


class StatementInvoiceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    issued_on = serializers.DateField()
    total = serializers.DecimalField(max_digits=12, decimal_places=2)


class StatementCreditSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.CharField()
    issued_on = serializers.DateField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class StatementPaymentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    received_on = serializers.DateField()
    reference = serializers.CharField()
    amount = serializers.DecimalField(max_digits=12, decimal_places=2)


class StatementAgingSerializer(serializers.Serializer):
    current = serializers.DecimalField(max_digits=12, decimal_places=2)
    # "1_30" etc. are not identifiers: declared through the fields mapping below.

    def get_fields(self):
        fields = super().get_fields()
        for name in ("1_30", "31_60", "61_90", "over_90"):
            fields[name] = serializers.DecimalField(max_digits=12, decimal_places=2)
        return fields


class PracticeStatementSerializer(serializers.Serializer):
    """Documents the statement's shape; the view renders Statement.as_json()."""

    practice = BillingPracticeRefSerializer()
    month = serializers.CharField()
    opening_balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    invoices = StatementInvoiceSerializer(many=True)
    credit_notes = StatementCreditSerializer(many=True)
    payments = StatementPaymentSerializer(many=True)
    closing_balance = serializers.DecimalField(max_digits=14, decimal_places=2)
    aging = StatementAgingSerializer()

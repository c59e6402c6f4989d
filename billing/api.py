"""The billing API (DESIGN §13). Thin: parse with a serializer, read with billing.selectors, write
with billing.services; errors take the one shape (dentallab.api_errors).

Managers and admins see every practice's documents; a dentist their own practice's (another
practice's: 404); technicians get 403 everywhere (no money). Writes are managers' (403)."""

from django.conf import settings
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import renderers, status
from rest_framework.generics import GenericAPIView
from rest_framework.response import Response

from accounts.audit import AuditAction, record
from accounts.models import Practice
from billing import documents, selectors, services
from billing.models import Invoice, InvoiceStatus
from billing.serializers import (
    CreditNoteInputSerializer,
    CreditNoteSerializer,
    InvoiceSerializer,
    PaymentInputSerializer,
    PaymentReversalSerializer,
    PaymentSerializer,
    PracticeStatementSerializer,
)
from billing.statements import compute_statement, parse_month
from dentallab.api_pagination import PageNumberPagination
from dentallab.api_renderers import JSONRenderer
from dentallab.exceptions import NotFound

ERROR = OpenApiResponse(
    description='{"message": "...", "detail": "...", "code": "...", "errors": {"field": ["..."]}}',
    response=OpenApiTypes.OBJECT,
)
PDF = OpenApiResponse(description="application/pdf", response=OpenApiTypes.BINARY)


class PDFRenderer(renderers.BaseRenderer):
    """Lets `?format=pdf` through DRF's content negotiation; the views answer the bytes."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class PDFViewMixin:
    """Views that may answer a PDF: errors are still JSON (the one error shape)."""

    renderer_classes = [JSONRenderer, PDFRenderer]

    def handle_exception(self, exc):
        response = super().handle_exception(exc)
        self.request.accepted_renderer = JSONRenderer()
        self.request.accepted_media_type = "application/json"
        return response


def pdf_response(request, data: bytes, filename: str, *, obj=None, case_id=None, document: str) -> HttpResponse:
    """The PDF, after recording the download in the audit log."""
    record(
        AuditAction.FILE_DOWNLOADED,
        request=request,
        obj=obj,
        case_id=case_id,
        detail={"document": document, "name": filename},
    )
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


@extend_schema(
    summary="Invoices",
    parameters=[
        OpenApiParameter("practice", OpenApiTypes.INT),
        OpenApiParameter("status", OpenApiTypes.STR, enum=InvoiceStatus.values),
        OpenApiParameter("issued_after", OpenApiTypes.DATE),
        OpenApiParameter("issued_before", OpenApiTypes.DATE),
    ],
    responses={200: InvoiceSerializer(many=True), 400: ERROR, 403: ERROR},
)
class InvoiceListView(GenericAPIView):
    serializer_class = InvoiceSerializer
    pagination_class = PageNumberPagination

    def get(self, request):
        params = request.query_params
        invoices = selectors.invoices_for(
            request.user,
            practice=params.get("practice", ""),
            status=params.get("status", ""),
            issued_after=params.get("issued_after", ""),
            issued_before=params.get("issued_before", ""),
        )
        page = self.paginate_queryset(invoices)
        return self.get_paginated_response(InvoiceSerializer(page, many=True).data)


@extend_schema(summary="An invoice", responses={200: InvoiceSerializer, 403: ERROR, 404: ERROR})
class InvoiceDetailView(GenericAPIView):
    serializer_class = InvoiceSerializer

    def get(self, request, pk):
        return Response(InvoiceSerializer(selectors.get_invoice_for(request.user, pk)).data)


@extend_schema(summary="An invoice as PDF", responses={(200, "application/pdf"): PDF, 403: ERROR, 404: ERROR})
class InvoicePDFView(PDFViewMixin, GenericAPIView):
    def get(self, request, pk):
        invoice = selectors.get_invoice_for(request.user, pk)
        return pdf_response(
            request._request,
            documents.invoice_pdf(invoice),
            f"{invoice.number}.pdf",
            obj=invoice,
            case_id=invoice.case_id,
            document="invoice",
        )


@extend_schema_view(
    get=extend_schema(
        summary="Credit notes",
        parameters=[OpenApiParameter("practice", OpenApiTypes.INT), OpenApiParameter("invoice", OpenApiTypes.INT)],
        responses={200: CreditNoteSerializer(many=True), 400: ERROR, 403: ERROR},
    ),
    post=extend_schema(
        summary="Issue a credit note (managers)",
        request=CreditNoteInputSerializer,
        responses={201: CreditNoteSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
    ),
)
class CreditNoteListView(GenericAPIView):
    serializer_class = CreditNoteSerializer
    pagination_class = PageNumberPagination

    def get(self, request):
        params = request.query_params
        notes = selectors.credit_notes_for(
            request.user, practice=params.get("practice", ""), invoice=params.get("invoice", "")
        )
        page = self.paginate_queryset(notes)
        return self.get_paginated_response(CreditNoteSerializer(page, many=True).data)

    def post(self, request):
        selectors.require_billing_manager(request.user)
        data = CreditNoteInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        invoice = Invoice.objects.visible_to(request.user).filter(pk=data.validated_data["invoice"]).first()
        if invoice is None:
            raise NotFound("No such invoice.", field="invoice")
        note = services.issue_credit_note(
            invoice=invoice,
            amount=data.validated_data["amount"],
            reason=data.validated_data["reason"],
            actor=request.user,
            request=request._request,
        )
        note = selectors.credit_notes_for(request.user).get(pk=note.pk)
        return Response(CreditNoteSerializer(note).data, status=status.HTTP_201_CREATED)


@extend_schema(summary="A credit note", responses={200: CreditNoteSerializer, 403: ERROR, 404: ERROR})
class CreditNoteDetailView(GenericAPIView):
    serializer_class = CreditNoteSerializer

    def get(self, request, pk):
        return Response(CreditNoteSerializer(selectors.get_credit_note_for(request.user, pk)).data)


@extend_schema(summary="A credit note as PDF", responses={(200, "application/pdf"): PDF, 403: ERROR, 404: ERROR})
class CreditNotePDFView(PDFViewMixin, GenericAPIView):
    def get(self, request, pk):
        note = selectors.get_credit_note_for(request.user, pk)
        return pdf_response(
            request._request,
            documents.credit_note_pdf(note),
            f"{note.number}.pdf",
            obj=note,
            case_id=note.invoice.case_id,
            document="credit_note",
        )


@extend_schema_view(
    get=extend_schema(
        summary="Payments",
        parameters=[OpenApiParameter("practice", OpenApiTypes.INT)],
        responses={200: PaymentSerializer(many=True), 400: ERROR, 403: ERROR},
    ),
    post=extend_schema(
        summary="Record a payment (managers)",
        description="Without `allocations` the payment (after the practice's earlier credit) goes to the "
        "oldest open invoices; what is left stays as the practice's credit.",
        request=PaymentInputSerializer,
        responses={201: PaymentSerializer, 400: ERROR, 403: ERROR, 404: ERROR},
    ),
)
class PaymentListView(GenericAPIView):
    serializer_class = PaymentSerializer
    pagination_class = PageNumberPagination

    def get(self, request):
        payments = selectors.payments_for(request.user, practice=request.query_params.get("practice", ""))
        page = self.paginate_queryset(payments)
        return self.get_paginated_response(PaymentSerializer(page, many=True).data)

    def post(self, request):
        selectors.require_billing_manager(request.user)
        data = PaymentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = data.validated_data
        practice = Practice.objects.visible_to(request.user).filter(pk=values["practice"]).first()
        if practice is None:
            raise NotFound("No such practice.", field="practice")
        payment = services.record_payment(
            practice=practice,
            amount=values["amount"],
            received_on=values["received_on"],
            method=values["method"],
            reference=values.get("reference", ""),
            allocations=[
                services.AllocationInput(invoice=a["invoice"], amount=a["amount"])
                for a in values.get("allocations", [])
            ]
            or None,
            actor=request.user,
            request=request._request,
        )
        payment = selectors.payments_for(request.user).get(pk=payment.pk)
        return Response(PaymentSerializer(payment).data, status=status.HTTP_201_CREATED)


@extend_schema(summary="A payment", responses={200: PaymentSerializer, 403: ERROR, 404: ERROR})
class PaymentDetailView(GenericAPIView):
    serializer_class = PaymentSerializer

    def get(self, request, pk):
        return Response(PaymentSerializer(selectors.get_payment_for(request.user, pk)).data)


@extend_schema(
    summary="Reverse a payment (a bounced cheque; managers)",
    request=PaymentReversalSerializer,
    responses={200: PaymentSerializer, 400: ERROR, 403: ERROR, 404: ERROR, 409: ERROR},
)
class PaymentReverseView(GenericAPIView):
    serializer_class = PaymentSerializer

    def post(self, request, pk):
        payment = selectors.get_payment_for(request.user, pk)
        selectors.require_billing_manager(request.user)
        data = PaymentReversalSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        services.reverse_payment(payment=payment, reason=data.validated_data["reason"], actor=request.user)
        return Response(PaymentSerializer(selectors.get_payment_for(request.user, pk)).data)


@extend_schema(
    summary="A practice's statement of account for a month",
    description="opening_balance + Σ invoice totals − Σ credit amounts − Σ payments = closing_balance. "
    "`format=pdf` answers the PDF.",
    parameters=[
        OpenApiParameter("month", OpenApiTypes.STR, description="YYYY-MM; the current month when omitted"),
        OpenApiParameter("format", OpenApiTypes.STR, enum=["json", "pdf"]),
    ],
    responses={200: PracticeStatementSerializer, (200, "application/pdf"): PDF, 400: ERROR, 403: ERROR, 404: ERROR},
)
class PracticeStatementView(PDFViewMixin, GenericAPIView):
    serializer_class = PracticeStatementSerializer

    def get(self, request, pk):
        practice = selectors.get_practice_for(request.user, pk)
        month = parse_month(request.query_params.get("month", ""))
        statement = compute_statement(practice, month)
        if request.query_params.get("format") == "pdf":
            return pdf_response(
                request._request,
                documents.statement_pdf(statement, currency=settings.CURRENCY),
                f"statement-{practice.pk}-{statement.month_label}.pdf",
                obj=practice,
                document="statement",
            )
        return Response(statement.as_json())

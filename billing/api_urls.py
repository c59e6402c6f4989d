from django.urls import path

from billing import api

app_name = "billing_api"

urlpatterns = [
    path("invoices/", api.InvoiceListView.as_view(), name="invoices"),
    path("invoices/<int:pk>/", api.InvoiceDetailView.as_view(), name="invoice"),
    path("invoices/<int:pk>/pdf/", api.InvoicePDFView.as_view(), name="invoice_pdf"),
    path("credit-notes/", api.CreditNoteListView.as_view(), name="credit_notes"),
    path("credit-notes/<int:pk>/", api.CreditNoteDetailView.as_view(), name="credit_note"),
    path("credit-notes/<int:pk>/pdf/", api.CreditNotePDFView.as_view(), name="credit_note_pdf"),
    path("payments/", api.PaymentListView.as_view(), name="payments"),
    path("payments/<int:pk>/", api.PaymentDetailView.as_view(), name="payment"),
    path("payments/<int:pk>/reverse/", api.PaymentReverseView.as_view(), name="payment_reverse"),
    path("practices/<int:pk>/statement/", api.PracticeStatementView.as_view(), name="practice_statement"),
]

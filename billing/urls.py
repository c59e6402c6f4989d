from django.urls import path

from billing import views

app_name = "billing"

urlpatterns = [
    path("billing/", views.home, name="home"),
    path("billing/invoices/<int:pk>/", views.invoice_detail, name="invoice"),
    path("billing/invoices/<int:pk>/pdf/", views.invoice_pdf, name="invoice_pdf"),
    path("billing/invoices/<int:pk>/credit/", views.invoice_credit, name="invoice_credit"),
    path("billing/invoices/<int:pk>/void/", views.invoice_void, name="invoice_void"),
    path("billing/credit-notes/<int:pk>/pdf/", views.credit_note_pdf, name="credit_note_pdf"),
    path("billing/payments/new/", views.payment_create, name="payment_create"),
    path("billing/payments/<int:pk>/reverse/", views.payment_reverse, name="payment_reverse"),
    path("billing/statement/", views.statement, name="statement"),
    path("billing/statement/pdf/", views.statement_pdf, name="statement_pdf"),
    path("billing/export/", views.export, name="export"),
    path("prices/", views.prices, name="prices"),
    path("prices/products/new/", views.product_new, name="product_new"),
    path("prices/products/<int:pk>/", views.product_edit, name="product_edit"),
    path("prices/practices/<int:pk>/", views.practice_terms, name="practice_terms"),
]

"""Billing's panel on the case page (settings.PAGE_PANELS["case_detail.side"]): the case's invoice,
for those who see money (never technicians)."""

from django.template.loader import render_to_string

from billing import policy
from billing.models import Invoice


def case_invoice_panel(request, case=None, **context) -> str:
    if case is None or not policy.can_see_billing(request.user):
        return ""
    invoice = Invoice.objects.visible_to(request.user).filter(case_id=case.pk).first()
    if invoice is None:
        return ""
    return render_to_string("billing/_case_invoice_panel.html", {"invoice": invoice}, request=request)

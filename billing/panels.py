"""Billing's panel on the case page (settings.PAGE_PANELS["case_detail.side"]): the case's invoice,
for those who see money (never technicians)."""

from django.template.loader import render_to_string

from accounts.policy import VisibleQuery
from billing import policy
from billing.models import Invoice

_CASE_INVOICE = VisibleQuery(lambda user, case_pk: Invoice.objects.visible_to(user).filter(case_id=case_pk)[:1])


def case_invoice_panel(request, case=None, **context) -> str:
    # An invoice is issued on the move to shipped (services.invoice_case), which stamps shipped_at:
    # a case never shipped has none, and its page is spared the query.
    if case is None or case.shipped_at is None or not policy.can_see_billing(request.user):
        return ""
    invoice = _CASE_INVOICE.first(request.user, case.pk)
    if invoice is None:
        return ""
    return render_to_string("billing/_case_invoice_panel.html", {"invoice": invoice}, request=request)

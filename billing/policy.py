"""Who may see and do what with money (DESIGN §3, §13).

Reads go through `visible_to(user)` on invoices, credit notes and payments (a dentist sees their
own practice's; another practice's documents are 404). Technicians never see money: every billing
page, endpoint, export and PDF refuses them (403). Writes (payments, credits, voids, the price
list) are managers' and admins'.
"""

from accounts.policy import can_manage_lab, is_dentist


def can_see_billing(user) -> bool:
    """Managers and admins everything; a dentist their own practice's; technicians nothing."""
    return can_manage_lab(user) or is_dentist(user)


def can_manage_billing(user) -> bool:
    """Record and reverse payments, issue credit notes, void invoices, run statements, export."""
    return can_manage_lab(user)


def can_edit_prices(user) -> bool:
    return can_manage_lab(user)

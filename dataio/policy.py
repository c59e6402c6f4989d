"""Moving in and out (DESIGN §18) is for managers and admins: they import practices, dentists and
the price list, and export everything the lab owns. Everyone else: 403."""

from accounts.policy import can_manage_lab


def can_import(user) -> bool:
    return can_manage_lab(user)


def can_export(user) -> bool:
    return can_manage_lab(user)

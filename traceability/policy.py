"""Who may do what with materials, lots, usages, statements and the lab profile (DESIGN §3, §15).

Reads go through `visible_to(user)`: materials and lots are lab data (a dentist sees none: 404);
a case's usages and statements are visible with the case. Services call the `can_*` functions
before every write; pages ask them which buttons to show.
"""

from accounts.policy import can_manage_lab, is_lab_staff
from cases.lifecycle import OPEN_STATUSES
from cases.models import Status

# Until a case has left the lab, whoever works on it records its lots; after that only a manager
# may, as a correction (and then issues the next version of the statement).


def can_manage_materials(user) -> bool:
    """Materials and lots (creating, editing, quarantining): managers and admins."""
    return can_manage_lab(user)


def can_read_materials(user) -> bool:
    return is_lab_staff(user)


def can_edit_lab_profile(user) -> bool:
    return can_manage_lab(user)


def can_record_usage(user, case) -> bool:
    """Lab staff while the case is in the lab; managers also after it shipped (a correction)."""
    if case.status in OPEN_STATUSES:
        return is_lab_staff(user)
    return can_manage_lab(user) and case.status in (Status.SHIPPED, Status.DELIVERED)


def usage_refusal(user, case) -> str:
    if not is_lab_staff(user):
        return "Only the lab records material lots."
    if case.status == Status.CANCELLED or case.status == Status.DRAFT:
        return f"Case {case.number} is {case.get_status_display().lower()}; no lots can be recorded on it."
    return f"Case {case.number} has left the lab; only a manager can correct its lots."


def can_regenerate_statement(user) -> bool:
    """A new version after a correction: managers and admins."""
    return can_manage_lab(user)


def can_edit_declaration(user, case) -> bool:
    """The Annex I deviations are the lab's declaration: lab staff until the case ships, managers
    after (followed by a new statement version)."""
    return can_record_usage(user, case)

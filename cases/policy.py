"""Who may do what to a case (DESIGN §3), beside the lifecycle's move rules (cases.lifecycle).

Services call these before every write and refuse with 403; pages ask them what to offer. A case
the user may not see never gets here: it is a 404 from `Case.objects.visible_to(user)` first.
"""

from accounts.policy import can_manage_lab, is_dentist, is_lab_staff, is_signed_in
from cases.models import FINISHED_STATUSES, Status

# A dentist may change the Rx until the lab has the case in hand.
DENTIST_EDITABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED)
# Only a case that left the lab (or never will) can be remade.
REMAKE_FROM_STATUSES = FINISHED_STATUSES


def can_create_cases(user) -> bool:
    """Lab staff and dentists (for their own practice) create cases."""
    return is_lab_staff(user) or is_dentist(user)


def can_create_case_for(user, practice) -> bool:
    """Lab staff create cases for any practice; a dentist for their own."""
    return is_lab_staff(user) or (is_dentist(user) and practice is not None and practice.pk == user.practice_id)


def can_edit_case(user, case) -> bool:
    """The Rx and the lines: dentists while the case is a draft or submitted, lab staff until it
    is shipped, delivered or cancelled; nobody after."""
    if not is_signed_in(user) or case.status in FINISHED_STATUSES:
        return False
    if is_dentist(user):
        return case.practice_id == user.practice_id and case.status in DENTIST_EDITABLE_STATUSES
    return is_lab_staff(user)


def edit_refusal(user, case) -> str:
    """Why `can_edit_case` said no, in words for the person who asked."""
    if case.status in FINISHED_STATUSES:
        return f"Case {case.number} is {case.get_status_display().lower()}; create a remake instead."
    return "The lab has received this case; ask the lab to change it."


def can_assign_technician(user) -> bool:
    return is_lab_staff(user)


def can_write_internal_notes(user) -> bool:
    return is_lab_staff(user)


def can_remake(user, case) -> bool:
    """Managers and admins remake a finished case (a remake may credit the practice's invoice, and
    a technician may not submit or receive on the practice's behalf); a dentist asks for a remake
    of their own practice's case."""
    if case.status not in REMAKE_FROM_STATUSES:
        return False
    return can_manage_lab(user) or (is_dentist(user) and case.practice_id == user.practice_id)

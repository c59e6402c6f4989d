"""Who sees which figures (DESIGN §17). The lab's reports page is for managers and admins; the
scorecard API answers every lab role and dentists, each within their own scope: managers and admins
everything, a technician the cases assigned to them, a dentist their own practice's. Anyone else
(a dentist without a practice, inactive, anonymous) is refused."""

from accounts.policy import can_manage_lab, is_dentist, is_technician


def can_view_lab_reports(user) -> bool:
    return can_manage_lab(user)


def can_view_scorecard(user) -> bool:
    return can_manage_lab(user) or is_technician(user) or is_dentist(user)


def has_own_scorecard(user) -> bool:
    """Dentists and technicians see their own scorecard on their dashboard."""
    return is_dentist(user) or is_technician(user)

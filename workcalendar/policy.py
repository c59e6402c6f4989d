"""Who may see and change the working calendar (DESIGN §3, §12). The calendar is the lab's floor:
managers and admins add and remove closed days, technicians read it, dentists see none of it (403)."""

from accounts.policy import can_manage_lab, is_lab_staff


def can_view_calendar(user) -> bool:
    return is_lab_staff(user)


def can_manage_closed_days(user) -> bool:
    return can_manage_lab(user)

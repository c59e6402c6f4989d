"""Who may see and do what on the production floor (DESIGN §3, §12).

The floor is the lab's: a dentist sees none of it (403 on pages and lists, 404 on a case of another
practice). Managers and admins edit departments, routings and the QC checklist and may start and
finish any step; a technician works the steps of the departments they belong to."""

from accounts.policy import can_manage_lab, is_lab_staff, is_technician


def can_view_floor(user) -> bool:
    return is_lab_staff(user)


def can_manage_floor(user) -> bool:
    """Departments, routings, the QC checklist: managers and admins."""
    return can_manage_lab(user)


def can_work_step(user, step, department_ids=None) -> bool:
    """Start or finish this step: managers and admins any; a technician those of their departments
    (and one they started themselves). `department_ids` saves the query when the caller has them."""
    if can_manage_lab(user):
        return True
    if not is_technician(user):
        return False
    if step.technician_id == user.pk:
        return True
    if department_ids is None:
        department_ids = set(user.departments.values_list("id", flat=True))
    return step.department_id in department_ids


def work_refusal(user, step) -> str:
    if not is_lab_staff(user):
        return "Only the lab works production steps."
    return f"You are not in the {step.department.name} department; ask a manager to add you."


def can_tick_qc(user) -> bool:
    return is_lab_staff(user)

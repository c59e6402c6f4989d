"""Who may ship, see manifests and handle pickups (DESIGN §3, §14). Services call these before
every write; pages and templates ask them what to offer."""

from accounts.policy import can_manage_lab, is_dentist, is_lab_staff


def can_ship(user) -> bool:
    """Lab staff ship (quality_check → shipped is a production move); dentists never do."""
    return is_lab_staff(user)


def can_view_manifest(user) -> bool:
    return is_lab_staff(user)


def can_request_pickup(user, practice) -> bool:
    """A dentist for their own practice; lab staff for any (a pickup taken by phone)."""
    if practice is None:
        return False
    return is_lab_staff(user) or (is_dentist(user) and practice.pk == user.practice_id)


def can_complete_pickup(user) -> bool:
    return is_lab_staff(user)


def can_manage_couriers(user) -> bool:
    return can_manage_lab(user)

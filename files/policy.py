"""Who may do what to a case's files (DESIGN §3, §7). Services call these before every write and
refuse with 403; pages ask them what to offer (the Delete button). A file the user may not see never
gets here: it is a 404 from `CaseFile.objects.visible_to(user)` first (files.selectors)."""

from accounts.policy import is_lab_staff, is_signed_in
from cases.models import Status

# Dentists may remove their own uploads until the lab has the case in hand.
DENTIST_DELETABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED)

RETAINED_MESSAGE = "This document is kept by law (a statement of manufacture); nobody can remove it."


def can_change_file(user, file) -> bool:
    """Lab staff, and the person who uploaded the file, act on it (complete, remove); the actions
    below narrow that down."""
    return is_lab_staff(user) or (is_signed_in(user) and file.uploaded_by_id == user.pk)


def change_refusal(user, file) -> str:
    return "Only the person who uploaded this file, or the lab, can change or remove it."


def can_complete(user, file) -> bool:
    """Only the person who started a direct upload confirms it."""
    return is_signed_in(user) and file.uploaded_by_id == user.pk


COMPLETE_REFUSAL = "Only the person who started this upload can complete it."


def can_delete(user, file) -> bool:
    """Nobody removes a retained file; lab staff any other; the uploader only before the lab has
    received the case."""
    if file.retained or not is_signed_in(user):
        return False
    if is_lab_staff(user):
        return True
    return file.uploaded_by_id == user.pk and file.case.status in DENTIST_DELETABLE_STATUSES


def delete_refusal(user, file) -> str:
    """Why `can_delete` said no, in words for the person who asked."""
    if file.retained:
        return RETAINED_MESSAGE
    if file.uploaded_by_id == user.pk:
        return "Only the lab can remove files once it has received the case."
    return change_refusal(user, file)

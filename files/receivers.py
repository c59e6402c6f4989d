"""files' subscribers to cases' signals (connected in files/apps.py)."""

from django.conf import settings

from cases.models import Status
from dentallab.exceptions import Conflict
from files.models import CaseFile, FileKind, FileState


class DesignFileRequired(Conflict):
    code = "design_file_required"
    field = "files"


def require_design_file(sender, *, case, to_status, **kwargs):
    """`case_moved`: with DESIGN_APPROVAL_REQUIRES_FILE on (the default), a design goes to the
    dentist for approval only with a design file attached, so the dentist has something to approve."""
    if to_status != Status.AWAITING_APPROVAL or not settings.DESIGN_APPROVAL_REQUIRES_FILE:
        return
    if not CaseFile.objects.filter(case=case, kind=FileKind.DESIGN, state=FileState.AVAILABLE).exists():
        raise DesignFileRequired(
            "Upload the design file (kind “Design”) before sending the design for approval: "
            "the dentist approves what they can see."
        )

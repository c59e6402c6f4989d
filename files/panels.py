"""What files adds to the case page (cases never imports files): the design to approve, beside the
Approve / Request changes buttons (settings.PAGE_PANELS["case_detail.moves"], issue 15)."""

from django.template.loader import render_to_string

from cases.models import Status
from files.models import CaseFile, FileKind, FileState


def design_review(request, *, case, **context) -> str:
    """While a case waits for the dentist's approval: its design files, with the 3D viewer."""
    if case.status != Status.AWAITING_APPROVAL:
        return ""
    files = list(
        CaseFile.objects.visible_to(request.user)
        .filter(case=case, kind=FileKind.DESIGN, state=FileState.AVAILABLE)
        .order_by("-created_at", "-id")
    )
    return render_to_string("files/design_review.html", {"case": case, "files": files}, request=request)

"""What production adds to the case page (settings.PAGE_PANELS, dentallab/templatetags/panels.py):
the case's steps and, in quality check, its QC checklist. cases never imports this module."""

from django.template.loader import render_to_string

from accounts.policy import is_technician
from cases.models import Status
from production import policy, selectors


def case_steps_panel(request, *, case, **context) -> str:
    """Lab staff: the steps of the case on the floor and its QC checklist."""
    user = request.user
    if not policy.can_view_floor(user):
        return ""
    steps = selectors.case_steps_list(user, case)
    checklist = (
        selectors.qc_checklist(case) if case.status in (Status.QUALITY_CHECK, Status.SHIPPED, Status.DELIVERED) else []
    )
    if not steps and not checklist:
        return ""
    return render_to_string(
        "production/panels/case_steps.html",
        {
            "case": case,
            "steps": steps,
            "checklist": checklist,
            "can_tick": case.status == Status.QUALITY_CHECK and policy.can_tick_qc(user),
        },
        request=request,
    )


def dashboard_bench(request, **context) -> str:
    """Technicians: their bench on the dashboard (in progress, how many are ready), one click away."""
    user = request.user
    if not policy.can_view_floor(user) or not is_technician(user):
        return ""
    work = selectors.bench(user)
    return render_to_string("production/panels/dashboard_bench.html", {"bench": work}, request=request)

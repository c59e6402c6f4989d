"""Production's section of the lab's reports page (DESIGN §17), registered through
settings.REPORT_SECTIONS: open steps per department now. Production may not import reports, so the
section is a dict of reports.report_sections.Section's fields with the chart named as a dict."""

from django.db.models import Count, Exists, OuterRef, Q, Sum

from accounts.policy import can_manage_lab
from cases.models import CaseItem
from dentallab.exceptions import Forbidden
from production.models import CaseStep, Department, StepStatus


def open_steps_by_department(filters) -> list[dict]:
    """Every department (in the board's order) with its steps ready and in progress now, and their
    units (one query). The date range does not apply; practice, technician and product category do
    (a step counts for a category when its case has an item of it)."""
    steps = Q(steps__status__in=(StepStatus.READY, StepStatus.IN_PROGRESS))
    if filters.practice_id is not None:
        steps &= Q(steps__case__practice_id=filters.practice_id)
    if filters.technician_id is not None:
        steps &= Q(steps__technician_id=filters.technician_id)
    if filters.category:
        in_category = CaseItem.objects.filter(case_id=OuterRef("case_id"), product__category=filters.category)
        steps &= Q(steps__in=CaseStep.objects.filter(Exists(in_category)))
    ready = steps & Q(steps__status=StepStatus.READY)
    working = steps & Q(steps__status=StepStatus.IN_PROGRESS)
    rows = (
        Department.objects.order_by("position", "name")
        .annotate(
            ready=Count("steps", filter=ready),
            in_progress=Count("steps", filter=working),
            units=Sum("steps__units", filter=steps, default=0),
        )
        .values("pk", "name", "ready", "in_progress", "units")
    )
    return [{**r, "open": r["ready"] + r["in_progress"]} for r in rows]


def work_in_progress_by_department(user, filters, cache) -> dict:
    if not can_manage_lab(user):  # the reports page is the lab's managers'
        raise Forbidden("Only the lab's managers see the work in progress by department.")
    found = open_steps_by_department(filters)
    labels = [r["name"] for r in found]
    return {
        "key": "departments",
        "title": "Work in progress by department",
        "note": "Production steps ready or in progress now (the date range does not apply).",
        "header": ["Department", "Ready", "In progress", "Units open"],
        "rows": [[r["name"], str(r["ready"]), str(r["in_progress"]), str(r["units"])] for r in found],
        "chart": {
            "kind": "columns",
            "chart_id": "chart-departments",
            "title": "Production steps ready and in progress by department",
            "labels": [label if len(label) <= 12 else label[:11] + "…" for label in labels],
            "series": [("Ready", [r["ready"] for r in found]), ("In progress", [r["in_progress"] for r in found])],
            "whole": True,
        },
    }

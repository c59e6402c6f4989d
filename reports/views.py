"""The lab's reports page (DESIGN §17) and the CSV of each of its tables. Managers and admins."""

import csv

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.policy import require
from reports import policy, report_sections, selectors
from reports.exceptions import BadReportParameter
from reports.forms import ReportFilterForm

CSV_DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(CSV_DANGEROUS) else text


def _filters(request):
    """The page's filters from the query string; a bad one is shown next to its field and the
    page falls back to the default period (status 400)."""
    params = request.GET.copy()
    try:
        return selectors.parse_filters(request.user, params), None
    except BadReportParameter as exc:
        return selectors.parse_filters(request.user, {}), exc


def summary(totals: dict) -> list[tuple[str, str]]:
    """The four figures above the charts, as the tables write them."""
    turnaround = totals["median_turnaround_days"]
    return [
        ("Cases shipped", str(totals["cases_shipped"])),
        ("On time", report_sections.percent(totals["on_time_rate"])),
        ("Remake rate", report_sections.percent(totals["remake_rate"])),
        ("Median turnaround, working days", report_sections.days(turnaround)),
    ]


@login_required
@require(policy.can_view_lab_reports)
@require_GET
def reports_page(request):
    filters, error = _filters(request)
    initial = {"from": filters.date_from, "to": filters.date_to}
    form = ReportFilterForm(request.GET or None, user=request.user, initial=initial)
    if request.GET:
        form.is_valid()
    if error:
        form.add_error(error.field if error.field in form.fields else None, error.message)
    sections, extra = report_sections.build(request.user, filters)
    if "totals" not in extra:
        extra["totals"] = selectors.scorecard(request.user, filters, None)["totals"]
    query = request.GET.urlencode() if not error else ""
    return render(
        request,
        "reports/reports.html",
        {
            "form": form,
            "filters": filters,
            "sections": sections,
            "summary": summary(extra["totals"]),
            "query": query,
        },
        status=400 if error else 200,
    )


@login_required
@require(policy.can_view_lab_reports)
@require_GET
def section_csv(request, section):
    if section not in report_sections.builders():
        raise Http404("No such table.")
    filters, error = _filters(request)
    if error:
        return HttpResponse(f"{error.field}: {error.message}", status=400, content_type="text/plain; charset=utf-8")
    (found,), _ = report_sections.build(request.user, filters, [section])
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = f"{section}-{filters.date_from.isoformat()}-{filters.date_to.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")  # spreadsheet programs then read UTF-8
    writer = csv.writer(response)
    writer.writerow([csv_safe(cell) for cell in found.header])
    for row in found.rows:
        writer.writerow([csv_safe(cell) for cell in row])
    return response

"""What reports adds to the dashboard (cases' page) through settings.PAGE_PANELS: a dentist's
scorecard of their own practice, a technician's of the cases assigned to them, over the last 12
weeks (DESIGN §17). cases never imports this module."""

from django.db import connection
from django.template.loader import render_to_string

from accounts.policy import is_dentist, is_technician
from production.selectors import steps_done_by_week
from reports import charts, policy, report_sections, selectors


def own_scorecard(request, **context) -> str:
    user = request.user
    if not policy.has_own_scorecard(user) or connection.vendor != "postgresql":
        return ""  # the figures need PostgreSQL; the SQLite development database shows no panel
    filters = selectors.parse_filters(user, {})
    totals = selectors.scorecard(user, filters, None)["totals"]
    turnaround = totals["median_turnaround_days"]
    steps_chart, steps_figure = "", None
    if is_technician(user):  # production's: the steps they finished, week by week
        weeks = steps_done_by_week(user, filters.weeks(), filters.date_to)
        done = sum(w["steps"] for w in weeks)
        steps_figure = ("Steps done", str(done), f"{done / len(weeks):.1f} a week" if weeks else "")
        steps_chart = charts.columns(
            chart_id="chart-own-steps",
            title="Production steps you finished per week",
            labels=[w["week"].strftime("%-d %b") for w in weeks],
            series=[("Steps done", [w["steps"] for w in weeks])],
            whole=True,
        )
    return render_to_string(
        "reports/panels/own_scorecard.html",
        {
            "filters": filters,
            "totals": totals,
            "whose": user.practice.name if is_dentist(user) else "Your cases",
            "steps_chart": steps_chart,
            "figures": [
                ("Shipped", str(totals["cases_shipped"]), ""),
                ("On time", report_sections.percent(totals["on_time_rate"]), "shipped by the ship-by date"),
                (
                    "Median turnaround",
                    "—" if turnaround is None else f"{report_sections.days(turnaround)} d",
                    "working days, received to shipped",
                ),
                (
                    "Remakes",
                    str(totals["remakes"]),
                    ""
                    if totals["remake_rate"] is None
                    else f"{report_sections.percent(totals['remake_rate'])} of shipped",
                ),
                *([steps_figure] if steps_figure else []),
            ],
        },
        request=request,
    )

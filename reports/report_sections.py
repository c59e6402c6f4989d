"""The reports page's sections (DESIGN §17): each is a title, a table (header and rows of display
text) and a chart drawn from the same rows. The page and the CSV export both take their rows from
here, so a CSV holds exactly what the table beside its chart shows."""

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from reports import charts, selectors


@dataclass
class Section:
    key: str
    title: str
    note: str
    header: list[str]
    rows: list[list[str]]
    chart: str = ""
    wide: bool = False  # a table too wide to stand beside its chart goes under it


def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{rate * 100:.1f}%"


def days(value: float | None) -> str:
    return "—" if value is None else f"{value:g}"


def _weekly(user, filters, cache):
    weeks = selectors.received_and_shipped_by_week(user, filters)
    rows = [[w["label"], str(w["received"]), str(w["shipped"])] for w in weeks]
    chart = charts.columns(
        chart_id="chart-weekly",
        title="Cases received and shipped per week",
        labels=[w["label"][-3:] for w in weeks],
        series=[("Received", [w["received"] for w in weeks]), ("Shipped", [w["shipped"] for w in weeks])],
    )
    return Section(
        "weekly", "Received and shipped per week", "By the week of receipt and of shipping.",
        ["Week", "Received", "Shipped"], rows, chart,
    )  # fmt: skip


def _week_scorecard(user, filters, cache):
    if "week" not in cache:
        cache["week"] = selectors.scorecard(user, filters, "week")
    return cache["week"]


def _practice_scorecard(user, filters, cache):
    if "practice" not in cache:
        cache["practice"] = selectors.scorecard(user, filters, "practice")
        cache["totals"] = cache["practice"]["totals"]
    return cache["practice"]


def _on_time(user, filters, cache):
    card = _week_scorecard(user, filters, cache)
    rows = [[r["label"], str(r["cases_shipped"]), str(r["on_time"]), percent(r["on_time_rate"])] for r in card["rows"]]
    chart = charts.columns(
        chart_id="chart-on-time",
        title="On-time rate per week",
        labels=[r["label"][-3:] for r in card["rows"]],
        series=[("On time", [r["on_time_rate"] for r in card["rows"]])],
        percent=True,
        y_max=1,
    )
    return Section(
        "on_time", "On-time rate", "Shipped on or before ship-by (the due date when there is none).",
        ["Week", "Shipped", "On time", "On-time rate"], rows, chart,
    )  # fmt: skip


def _turnaround(user, filters, cache):
    card = _week_scorecard(user, filters, cache)
    rows = [[r["label"], str(r["cases_shipped"]), days(r["median_turnaround_days"])] for r in card["rows"]]
    chart = charts.columns(
        chart_id="chart-turnaround",
        title="Median turnaround per week, in working days",
        labels=[r["label"][-3:] for r in card["rows"]],
        series=[("Median working days", [r["median_turnaround_days"] for r in card["rows"]])],
    )
    return Section(
        "turnaround", "Median turnaround", "Working days from received to shipped, cases shipped that week.",
        ["Week", "Shipped", "Median working days"], rows, chart,
    )  # fmt: skip


def _remakes(field: str):
    def build(user, filters, cache):
        shipped = _practice_scorecard(user, filters, cache)["totals"]["cases_shipped"]
        found = selectors.remakes_by(user, filters, field, shipped=shipped)
        rows = [[r["label"], str(r["remakes"]), percent(r["rate"])] for r in found]
        title = {"reason": "Remakes by reason", "responsibility": "Remakes by responsibility"}[field]
        chart = charts.bars(
            chart_id=f"chart-remakes-{field}", title=title, rows=[(r["label"], r["rate"] or 0) for r in found],
            percent=True,
        )  # fmt: skip
        return Section(
            f"remakes_{field}", title, "Cases shipped in the period that were remade, as a share of all shipped.",
            [field.capitalize(), "Remakes", "Share of shipped"], rows, chart,
        )  # fmt: skip

    return build


def _wip(user, filters, cache):
    found = selectors.work_in_progress(user, filters)
    rows = [[r["label"], str(r["cases"])] for r in found]
    chart = charts.bars(
        chart_id="chart-wip", title="Work in progress by status", rows=[(r["label"], r["cases"]) for r in found]
    )
    return Section(
        "wip", "Work in progress by status", "Open cases now (the date range does not apply).",
        ["Status", "Cases"], rows, chart,
    )  # fmt: skip


def _practices(user, filters, cache):
    card = _practice_scorecard(user, filters, cache)
    rows = [
        [
            r["label"],
            str(r["cases_shipped"]),
            str(r["on_time"]),
            percent(r["on_time_rate"]),
            str(r["remakes"]),
            percent(r["remake_rate"]),
            days(r["median_turnaround_days"]),
        ]  # fmt: skip
        for r in card["rows"]
    ]
    chart = charts.bars(
        chart_id="chart-practices", title="On-time rate by practice",
        rows=[(r["label"], r["on_time_rate"] or 0) for r in card["rows"]], percent=True,
    )  # fmt: skip
    return Section(
        "practices", "Scorecard by practice", "The figures of GET /api/reports/scorecard/?group_by=practice.",
        ["Practice", "Shipped", "On time", "On-time rate", "Remakes", "Remake rate", "Median working days"],
        rows, chart, wide=True,
    )  # fmt: skip


BUILDERS = {
    "weekly": _weekly,
    "on_time": _on_time,
    "turnaround": _turnaround,
    "remakes_reason": _remakes("reason"),
    "remakes_responsibility": _remakes("responsibility"),
    "wip": _wip,
    "practices": _practices,
}


def as_section(found) -> Section:
    """Another app's section: a Section, or (as the apps that may not import reports give it) a
    dict of Section's fields whose `chart` is a dict naming a drawing of reports.charts
    (`{"kind": "bars" | "columns", **its keyword arguments}`)."""
    if isinstance(found, Section):
        return found
    fields = dict(found)
    chart = fields.pop("chart", "") or ""
    if isinstance(chart, dict):
        spec = dict(chart)
        kind = spec.pop("kind")
        if kind not in ("bars", "columns"):
            raise ValueError(f"Unknown chart kind {kind!r}.")
        chart = getattr(charts, kind)(**spec)
    return Section(**fields, chart=chart)


def _adapted(builder):
    def build(user, filters, cache):
        return as_section(builder(user, filters, cache))

    return build


def builders() -> dict:
    """Ours, then those other apps add through settings.REPORT_SECTIONS ({key: dotted path of a
    callable (user, filters, cache) -> Section or a dict of its fields, see as_section}): billing's
    revenue and receivables by practice, production's work in progress by department, without
    reports importing them nor them importing reports."""
    extra = {key: _adapted(import_string(path)) for key, path in settings.REPORT_SECTIONS.items()}
    return {**BUILDERS, **extra}


def build(user, filters, keys=None) -> tuple[list[Section], dict]:
    cache: dict = {}
    available = builders()
    sections = [available[key](user, filters, cache) for key in (keys or available)]
    return sections, cache

"""Cases as table rows: the case list's and the dashboard's, written in Python.

These rows are most of what the two busiest pages render (25 to 100 on the list, up to 10 on the
dashboard). As template markup each row cost ~0.09 ms of CPU in variable lookups, `{% if %}`s,
escaping and filters — more than fetching it; here a row is one f-string. What a row shows is
decided by the same rules as everywhere (cases.models.is_late, the status labels, the `teeth`
filter's notation); every value from the database is escaped with `html.escape`, as Django's autoescape
does (same entities).
"""

import datetime
import functools
from html import escape

from django.utils import dateformat, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from cases.models import Priority, Status, is_late
from cases.templatetags.cases_tags import teeth as teeth_label
from dentallab.reversing import url_pattern

STATUS_LABELS = dict(Status.choices)
_DASH = '<span class="text-body-secondary">—</span>'
_LATE_MARKER = ' <span class="marker marker-late">Late</span>'
_RUSH_MARKER = ' <span class="marker marker-rush">Rush</span>'


@functools.lru_cache(maxsize=4096)
def date_labels(day: datetime.date, language: str | None) -> tuple[str, str, str]:
    """(ISO date, long title, short label) of a date, as the `date` filter writes them; the same
    few hundred dates come back all day, so each is formatted once per process."""
    return dateformat.format(day, "Y-m-d"), dateformat.format(day, "l j F Y"), dateformat.format(day, "D j M")


def _status_badge(status: str) -> str:
    return f'<span class="status-badge status-{escape(status)}">{escape(str(STATUS_LABELS.get(status, status)))}</span>'


def case_list_rows(cases, *, items: dict, hold_reasons: dict, show_practice: bool, today: datetime.date) -> SafeString:
    """The <tr>s of the case list. `cases`: rows of selectors.list_row_values; `items`: their
    lines (selectors.item_lines); `hold_reasons`: selectors.hold_reasons for them."""
    url = url_pattern("cases:detail")
    language = translation.get_language()
    html = []
    for case in cases:
        late = is_late(case.ship_by, case.status, today)
        number = f'<a class="fw-semibold case-link" href="{url.format(case.pk)}">{escape(case.number)}</a>'
        if case.priority == Priority.RUSH:
            number += _RUSH_MARKER
        patient = f"<div>{escape(case.patient_name)}</div>"
        if case.pan_number:
            patient += f'<div class="small text-body-secondary text-nowrap">Pan {escape(case.pan_number)}</div>'
        practice = (
            f'<td class="practice-cell"><div>{escape(case.practice__name)}</div>'
            f'<div class="small text-body-secondary">{escape(case.dentist__name)}</div></td>'
            if show_practice
            else ""
        )
        lines = "".join(
            f'<div class="text-truncate">{escape(name)}{f" ×{quantity}" if quantity > 1 else ""} '
            f'<span class="text-body-secondary">· {escape(teeth_label(teeth))}</span></div>'
            for name, quantity, teeth in items.get(case.pk, ())
        )
        status = _status_badge(case.status)
        if reason := hold_reasons.get(case.pk):
            reason = escape(Truncator(reason).chars(80))
            status += f'<div class="hold-reason small" data-testid="hold-reason">{reason}</div>'
        if case.due_date:
            due_iso, due_title, due_short = date_labels(case.due_date, language)
            due = (
                f'<time class="{"text-danger fw-semibold" if late else ""}" datetime="{due_iso}" title="{due_title}">'
                f"{due_short}</time>{_LATE_MARKER if late else ''}"
            )
            ship_by_short = date_labels(case.ship_by, language)[2] if case.ship_by else ""
            if ship_by_short and ship_by_short != due_short:
                due += f'<div class="small text-body-secondary">ship by {ship_by_short}</div>'
        else:
            due = _DASH
        technician = escape(case.assigned_technician__name) if case.assigned_technician__name else "—"
        html.append(
            f'<tr class="{"is-late" if late else ""}">'
            f'<td class="text-nowrap">{number}</td>'
            f'<td class="patient-cell">{patient}</td>'
            f"{practice}"
            f'<td class="items-cell d-none d-xl-table-cell">{lines or _DASH}</td>'
            f"<td>{status}</td>"
            f'<td class="text-nowrap">{due}</td>'
            f'<td class="small d-none d-lg-table-cell">{technician}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 — every value above is escaped


def dashboard_rows(cases, *, show_practice: bool, today: datetime.date) -> SafeString:
    """The <tr>s of the dashboard's short lists (cases with practice and dentist joined)."""
    url = url_pattern("cases:detail")
    language = translation.get_language()
    html = []
    for case in cases:
        late = is_late(case.ship_by, case.status, today)
        rush = _RUSH_MARKER if case.priority == Priority.RUSH else ""
        practice = (
            f"<td><div>{escape(case.practice.name)}</div>"
            f'<div class="small text-body-secondary">{escape(case.dentist.name)}</div></td>'
            if show_practice
            else ""
        )
        if case.due_date:
            due = (
                f'<span class="{"text-danger fw-semibold" if late else ""}">'
                f"{date_labels(case.due_date, language)[2]}</span>{_LATE_MARKER if late else ''}"
            )
        else:
            due = _DASH
        html.append(
            f'<tr class="{"is-late" if late else ""}">'
            f'<td><span class="text-nowrap"><a class="fw-semibold case-link" href="{url.format(case.pk)}">'
            f"{escape(case.number)}</a>{rush}</span>"
            f'<div class="small text-body-secondary">{escape(case.patient_name)}</div></td>'
            f"{practice}"
            f"<td>{_status_badge(case.status)}</td>"
            f'<td class="text-nowrap">{due}</td>'
            "</tr>"
        )
    return mark_safe("\n".join(html))  # noqa: S308 — every value above is escaped

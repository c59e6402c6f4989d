"""Charts as server-side SVG (DESIGN §17): no script, no CDN, nothing the Content-Security-Policy
blocks (presentation attributes, no inline style). Every chart stands beside a table of the same
rows, which is what screen readers and the CSV export read; the SVG is a picture of it (role=img
with a title). The drawing is sized by its viewBox and scales to its column, so the same chart
reads on a laptop and at 390 px."""

import math

from django.utils.html import escape
from django.utils.safestring import mark_safe

WIDTH = 400
PALETTE = ("#0f766e", "#d97706", "#4f46e5", "#db2777")
INK = "#1f2937"
MUTED = "#6b7280"
GRID = "#e5e7eb"
FONT = 'font-family="system-ui, sans-serif"'


def _nice_max(value: float) -> float:
    """A round axis maximum at or above `value` (1, 2, 5 × 10^n)."""
    if value <= 0:
        return 1
    magnitude = 1
    while magnitude * 10 <= value:
        magnitude *= 10
    while magnitude > value:
        magnitude /= 10
    for step in (1, 2, 5, 10):
        if step * magnitude >= value:
            return step * magnitude
    return 10 * magnitude


def _fmt(value: float, percent: bool) -> str:
    if percent:
        return f"{value * 100:.1f}%" if 0 < value < 0.1 else f"{value * 100:.0f}%"
    return f"{value:g}" if value != int(value) else str(int(value))


def _svg(title: str, height: int, body: list[str], chart_id: str) -> str:
    return mark_safe(  # noqa: S308 - every text below is escaped
        f'<svg class="report-chart" viewBox="0 0 {WIDTH} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title" xmlns="http://www.w3.org/2000/svg" {FONT}>'
        f'<title id="{chart_id}-title">{escape(title)}</title>' + "".join(body) + "</svg>"
    )


def columns(
    *,
    chart_id: str,
    title: str,
    labels: list[str],
    series: list[tuple[str, list[float | None]]],
    percent: bool = False,
    y_max: float | None = None,
    whole: bool = False,
) -> str:
    """Vertical columns, one group per label (a week), one column per series, with a legend.
    `whole`: counts, so the axis's four steps are whole numbers (0, 1, 2, 3, 4 rather than 1.25s)."""
    height, top, bottom, left, right = 240, 30, 36, 40, 6
    plot_w, plot_h = WIDTH - left - right, height - top - bottom
    values = [v for _, vs in series for v in vs if v is not None]
    top_value = y_max if y_max is not None else _nice_max(max(values, default=0))
    if whole and y_max is None:
        top_value = 4 * max(math.ceil(max(values, default=0) / 4), 1)
    body = []
    for i in range(5):  # grid lines and their values
        fraction = i / 4
        y = top + plot_h - fraction * plot_h
        body.append(f'<line x1="{left}" x2="{WIDTH - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>')
        body.append(
            f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="12" text-anchor="end" fill="{MUTED}">'
            f"{_fmt(top_value * fraction, percent)}</text>"
        )
    groups = max(len(labels), 1)
    slot = plot_w / groups
    bar = max(min(slot * 0.8 / max(len(series), 1), 22), 1.5)
    every = 1 if groups <= 6 else 2 if groups <= 13 else 4
    for g, label in enumerate(labels):
        x0 = left + g * slot + (slot - bar * len(series)) / 2
        for s, (name, vals) in enumerate(series):
            value = vals[g]
            if value is None:
                continue
            h = plot_h * min(value / top_value, 1) if top_value else 0
            x = x0 + s * bar
            body.append(
                f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar - 1:.1f}" height="{h:.1f}" '
                f'fill="{PALETTE[s % len(PALETTE)]}" rx="1.5"><title>{escape(name)} {escape(label)}: '
                f"{_fmt(value, percent)}</title></rect>"
            )
        if g % every == 0:
            body.append(
                f'<text x="{left + g * slot + slot / 2:.1f}" y="{height - bottom + 16}" font-size="12" '
                f'text-anchor="middle" fill="{MUTED}">{escape(label)}</text>'
            )
    x = left
    for s, (name, _) in enumerate(series):  # legend, top left
        body.append(f'<rect x="{x}" y="5" width="12" height="12" rx="2" fill="{PALETTE[s % len(PALETTE)]}"/>')
        body.append(f'<text x="{x + 16}" y="15.5" font-size="13" fill="{INK}">{escape(name)}</text>')
        x += 30 + 7.5 * len(name)
    return _svg(title, height, body, chart_id)


def bars(*, chart_id: str, title: str, rows: list[tuple[str, float]], percent: bool = False) -> str:
    """Horizontal bars, one per row, the label above its bar and the value at its end: long labels
    (a practice, a remake reason) stay readable on a phone."""
    row_h, top = 42, 4
    height = top + row_h * max(len(rows), 1) + 4
    top_value = _nice_max(max((v for _, v in rows), default=0))
    if percent:
        top_value = min(top_value, 1) or 1
    label_room = 58
    plot_w = WIDTH - label_room
    body = []
    if not rows:
        body.append(f'<text x="0" y="24" font-size="12" fill="{MUTED}">Nothing in this period.</text>')
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        w = plot_w * min(value / top_value, 1) if top_value else 0
        text = label if len(label) <= 48 else label[:45] + "…"
        body.append(f'<text x="0" y="{y + 13}" font-size="13" fill="{INK}">{escape(text)}</text>')
        body.append(f'<rect x="0" y="{y + 18}" width="{plot_w}" height="16" rx="2" fill="{GRID}"/>')
        body.append(f'<rect x="0" y="{y + 18}" width="{max(w, 0):.1f}" height="16" rx="2" fill="{PALETTE[0]}"/>')
        body.append(
            f'<text x="{WIDTH}" y="{y + 31}" font-size="13" text-anchor="end" fill="{INK}">'
            f"{_fmt(value, percent)}</text>"
        )
    return _svg(title, height, body, chart_id)

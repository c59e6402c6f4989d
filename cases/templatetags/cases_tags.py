"""Display helpers for case pages: teeth in the lab's notation, status badges, the tooth chart,
the ticket's QR code. No rules here: those live in lifecycle, policy and services."""

import functools
import math
import re

import qrcode
import qrcode.constants
import qrcode.image.svg
from django import template
from django.conf import settings
from django.core.exceptions import FieldDoesNotExist
from django.template.loader import render_to_string
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from cases import teeth as teeth_module
from cases.models import Case

register = template.Library()


def _notation() -> str:
    return settings.TOOTH_NOTATION


@register.filter
def tooth(value) -> str:
    """One FDI tooth number shown in the lab's notation."""
    try:
        return teeth_module.tooth_label(int(value), _notation())
    except (KeyError, TypeError, ValueError):
        return str(value)


@register.filter
def teeth(value) -> str:
    """A list of FDI tooth numbers shown in the lab's notation, e.g. "11, 21" or "8, 9"."""
    try:
        return teeth_module.teeth_label([int(t) for t in value or []], _notation())
    except (KeyError, TypeError, ValueError):
        return ", ".join(str(t) for t in value or [])


@register.filter
def field_labels(names) -> str:
    """Case field names of an edit event as words: ["pan_number", "items"] → "pan number, items"."""
    labels = []
    for name in names or []:
        try:
            labels.append(str(Case._meta.get_field(name).verbose_name))
        except FieldDoesNotExist:  # "items" is not a field of the case
            labels.append(str(name).replace("_", " "))
    return ", ".join(labels)


@register.simple_tag
def tooth_notation_name() -> str:
    return "Universal" if _notation() == teeth_module.NOTATION_UNIVERSAL else "FDI"


# Approximate mesio-distal widths (mm) by position 1-8: incisors narrow, molars wide.
_WIDTH = {1: 8.5, 2: 6.8, 3: 7.6, 4: 7.0, 5: 6.8, 6: 10.2, 7: 9.2, 8: 8.6}
_NAMES = {
    1: "central incisor",
    2: "lateral incisor",
    3: "canine",
    4: "first premolar",
    5: "second premolar",
    6: "first molar",
    7: "second molar",
    8: "third molar",
}
_PRIMARY_WIDTH = {1: 6.5, 2: 5.2, 3: 7.0, 4: 7.6, 5: 9.4}
_PRIMARY_NAMES = {1: "central incisor", 2: "lateral incisor", 3: "canine", 4: "first molar", 5: "second molar"}
_QUADRANT = {
    1: "upper right",
    2: "upper left",
    3: "lower left",
    4: "lower right",
    5: "primary upper right",
    6: "primary upper left",
    7: "primary lower left",
    8: "primary lower right",
}
CHART_WIDTH, CHART_HEIGHT = 480, 500


def _arch(numbers, *, upper: bool, primary: bool = False):
    """Place the teeth of one arch on a half-ellipse, each taking an angle proportional to its
    width; primary teeth go on a smaller arch inside the permanent one. Coordinates are SVG user
    units; the template draws circles with these."""
    cx = CHART_WIDTH / 2
    rx, ry, scale = (120, 104, 2.2) if primary else (196, 176, 2.15)
    widths, names = (_PRIMARY_WIDTH, _PRIMARY_NAMES) if primary else (_WIDTH, _NAMES)
    cy = 236 if upper else 284
    total = sum(widths[n % 10] for n in numbers)
    placed, start = [], 0.0
    for number in numbers:
        width = widths[number % 10]
        middle = start + width / 2
        start += width
        angle = math.pi * (1 - middle / total)  # left of the picture (patient's right) first
        x = cx + rx * math.cos(angle)
        y = cy - ry * math.sin(angle) if upper else cy + ry * math.sin(angle)
        radius = width * scale
        label = teeth_module.tooth_label(number, _notation())
        placed.append(
            {
                "fdi": number,
                "label": label,
                "x": round(x, 1),
                "y": round(y, 1),
                "r": round(radius, 1),
                "name": f"{_QUADRANT[number // 10]} {names[number % 10]}",
            }
        )
    return placed


@register.simple_tag
def tooth_chart(chart_id: str = "tooth-chart", readonly: bool = False, selected=()):
    """Upper and lower arch as seen facing the patient (patient's right on the left), each tooth
    a toggle button. `readonly` draws a picture of `selected` teeth (the ticket, the case page)."""
    return _tooth_chart_html(str(chart_id), bool(readonly), frozenset(int(t) for t in selected or ()), _notation())


@functools.lru_cache(maxsize=512)
def _tooth_chart_html(chart_id: str, readonly: bool, selected: frozenset, notation: str) -> str:
    """The chart's SVG depends only on these arguments: rendered once per process for each set
    of them (52 teeth through the template cost several ms, most of a case page's rendering)."""
    # A template's output is already a SafeString (escaped by the template).
    return render_to_string("cases/includes/tooth_chart.html", _tooth_chart_context(chart_id, readonly, selected))


def _tooth_chart_context(chart_id: str, readonly: bool, selected: frozenset) -> dict:
    upper = _arch(teeth_module.UPPER_PERMANENT, upper=True)
    lower = _arch(teeth_module.LOWER_PERMANENT, upper=False)
    primary_upper = _arch(teeth_module.UPPER_PRIMARY, upper=True, primary=True)
    primary_lower = _arch(teeth_module.LOWER_PRIMARY, upper=False, primary=True)
    for arch, placed in (
        ("upper", upper),
        ("lower", lower),
        ("primary-upper", primary_upper),
        ("primary-lower", primary_lower),
    ):
        for tooth_ in placed:
            tooth_["selected"] = tooth_["fdi"] in selected
            tooth_["arch"] = arch
    return {
        "chart_id": chart_id,
        "upper": upper,
        "lower": lower,
        "primary_upper": primary_upper,
        "primary_lower": primary_lower,
        # One loop per group in the template (no include per tooth: 52 includes were most of the
        # case page's rendering time).
        "groups": [("permanent-teeth", upper + lower), ("primary-teeth", primary_upper + primary_lower)],
        # A picture shows the primary arches only when it has primary teeth to show.
        "show_primary": any(tooth_ in teeth_module.PRIMARY for tooth_ in selected),
        "readonly": readonly,
        "width": CHART_WIDTH,
        "height": CHART_HEIGHT,
        "notation": "Universal" if _notation() == teeth_module.NOTATION_UNIVERSAL else "FDI",
    }


_SVG_SIZE = re.compile(r'\s(width|height)="[^"]*"')


@register.simple_tag
def qr_svg(url: str) -> str:
    """The URL as an inline SVG QR code. qrcode's path output carries presentation attributes
    only (no style=""), so it passes a strict CSP; the size comes from CSS."""
    image = qrcode.make(
        url,
        image_factory=qrcode.image.svg.SvgPathImage,
        box_size=10,
        border=2,
        error_correction=qrcode.constants.ERROR_CORRECT_M,
    )
    svg = image.to_string(encoding="unicode")
    svg = _SVG_SIZE.sub("", svg, count=2).replace('id="qr-path"', "")
    svg = svg.replace("<svg ", '<svg class="qr-code" role="img" aria-label="QR code of the case page" ', 1)
    return mark_safe(svg)  # noqa: S308 — generated by qrcode from our own URL, no user markup


# The small pieces that lists repeat (a badge per row, a header per column, a card per figure)
# are written here rather than as {% include %}s: an include costs ~0.1-0.2 ms of CPU each, and
# the dashboard and the case list used two or three dozen of them a page. Same HTML as the
# templates they replace; every value is escaped.


@register.simple_tag
def status_badge(status, label) -> str:
    return format_html('<span class="status-badge status-{}">{}</span>', status, label)


@register.simple_tag
def sort_header(header: dict) -> str:
    """A sortable column header of the case list (cases.views._sort_headers builds `header`)."""
    return format_html(
        '<th scope="col" aria-sort="{}"><a class="sort-link{}" href="{}">{}'
        '<span class="sort-arrow" aria-hidden="true">{}</span></a></th>',
        header["aria_sort"],
        " is-active" if header["active"] else "",
        header["url"],
        header["label"],
        header["arrow"] or "↕",
    )


@register.simple_tag
def compact_field(field) -> str:
    """A filter field with a small label above it, its errors and its help text."""
    errors = format_html_join("", '<div class="invalid-feedback d-block">{}</div>', ((e,) for e in field.errors))
    help_text = format_html('<div class="form-text small">{}</div>', field.help_text) if field.help_text else ""
    return format_html(
        '<div class="mb-2">\n  <label class="form-label small mb-1" for="{}">{}</label>\n  {}\n  {}\n  {}\n</div>',
        field.id_for_label,
        field.label,
        field,
        errors,
        help_text,
    )


@register.simple_tag
def stat_card(label, value, url, tone) -> str:
    return format_html(
        '<a class="card stat-card tone-{} h-100 text-decoration-none" href="{}">\n  <div class="card-body">\n'
        '    <div class="stat-label">{}</div>\n    <div class="stat-value">{}</div>\n  </div>\n</a>',
        tone,
        url,
        label,
        value,
    )

"""The board's columns and the bench's step cards, written in Python.

A page shows up to 70 board cards or 50 bench cards; through the template engine (an include, some
twenty variables and conditions per card) they were over a third of the page's CPU time. Here each
card is one f-string, its text escaped and its numbers localized as the template did. The cards are
the rows of `production.selectors._cards` with the links `production.views._link` gives them."""

from html import escape

from django import template
from django.conf import settings
from django.utils.formats import localize
from django.utils.safestring import mark_safe

register = template.Library()


def _text(value) -> str:
    return escape(str(value))


def _card_classes(step) -> str:
    return f"step-card{' in-progress' if step['status'] == 'in_progress' else ''}{' late' if step['is_late'] else ''}"


def _late_flag(step) -> str:
    return '<span class="late-flag">Late: </span>' if step["is_late"] else ""


def _number(value: int) -> str:
    # What {{ value }} writes: localize() costs more than a card, and only groups thousands when asked to.
    return localize(value) if settings.USE_THOUSAND_SEPARATOR else str(value)


@register.simple_tag
def board_column(column) -> str:
    """{% board_column column %}: a department's section of the board (a `selectors.Column`): its
    name and count, today's planned units against its capacity, then its cards."""
    department = column.department
    over = column.over_capacity
    cards = "".join(map(_board_card, column.cards)) or '<p class="small text-body-secondary mb-0">Nothing waiting.</p>'
    more = f'<p class="small text-body-secondary mb-0">and {_number(column.more)} more</p>' if column.more else ""
    return mark_safe(  # noqa: S308 — every value is escaped
        f'<section class="board-col" aria-labelledby="dept-{_number(department.pk)}">\n'
        f'    <h2 id="dept-{_number(department.pk)}">{_text(department.name)}'
        f' <span class="badge text-bg-light border">{_number(column.count)}</span></h2>\n'
        f'    <div class="board-cap{" over" if over else ""}">Today: {_number(column.planned_today)}'
        f" / {_number(department.daily_capacity)} units planned{' — over capacity' if over else ''}</div>\n"
        f"    {cards}\n"
        f"    {more}\n"
        "  </section>"
    )


def _board_card(step) -> str:
    """A link to the case with its number, the step, the practice, the units and the ship-by date,
    and why the case waits (or that it is a rush)."""
    if step["waiting"]:
        badge = f'<span class="badge text-bg-light border">{_text(step["waiting"])}</span>'
    elif step["rush"]:
        badge = '<span class="badge text-bg-warning">Rush</span>'
    else:
        badge = ""
    product = f' <span class="meta">· {_text(step["product"])}</span>' if step["product"] else ""
    technician = f" · {_text(step['technician_name'])}" if step["technician_name"] else ""
    return (
        f'<a class="{_card_classes(step)}" href="{_text(step["url"])}" data-testid="step-card">'
        f'<div class="d-flex justify-content-between gap-2"><span class="fw-semibold">{_text(step["number"])}</span>'
        f"{badge}</div>"
        f"<div>{_text(step['name'])}{product}</div>"
        f'<div class="meta">{_text(step["practice"])} · {_text(step["units_label"])}</div>'
        f'<div class="meta">{_late_flag(step)}Ship by {_text(step["ship_by_label"])}{technician}</div></a>'
    )


@register.simple_tag
def bench_card(step, *, csrf_token, next_url) -> str:
    """{% bench_card step csrf_token=csrf_token next_url=… %}: the step with links to the case's Rx,
    files and ticket, and its Start or Finish button (a POST form that comes back to `next_url`)."""
    name, number = _text(step["name"]), _text(step["number"])
    url = _text(step["url"])
    rush = ' <span class="badge text-bg-warning">Rush</span>' if step["rush"] else ""
    product = ""
    if step["product"]:
        teeth = f" · teeth {_text(step['teeth_label'])}" if step["teeth_label"] else ""
        product = f"{_text(step['product'])}{teeth} · "
    shade = f" · shade {_text(step['shade'])}" if step["shade"] else ""
    planned = f" · planned {_text(step['planned_label'])}" if step["planned_label"] else ""
    if step["status"] == "in_progress":
        style, action = "btn-primary", "Finish"
    else:
        style, action = "btn-outline-primary", "Start"
    button = (
        f'<button class="btn {style}" type="submit">{action}'
        f'<span class="visually-hidden"> {name} on {number}</span></button>'
    )
    return mark_safe(  # noqa: S308 — every value is escaped
        f'<li class="{_card_classes(step)}" data-testid="bench-step">\n'
        "  <div>\n"
        f'    <div><a class="fw-semibold" href="{url}">{number}</a> · {name} <span class="meta">'
        f"({_text(step['department_name'])})</span>{rush}</div>\n"
        f'    <div class="meta">{product}{_text(step["units_label"])}{shade}</div>\n'
        f'    <div class="meta">{_late_flag(step)}Ship by {_text(step["ship_by_label"])}{planned}\n'
        f'      · <a href="{url}">Rx</a> · <a href="{_text(step["files_url"])}">Files</a>'
        f' · <a href="{_text(step["ticket_url"])}">Ticket</a></div>\n'
        "  </div>\n"
        f'  <form method="post" action="{_text(step["action_url"])}" class="m-0">'
        f'<input type="hidden" name="csrfmiddlewaretoken" value="{_text(csrf_token)}">'
        f'<input type="hidden" name="next" value="{_text(next_url)}">{button}</form>\n'
        "</li>\n"
    )

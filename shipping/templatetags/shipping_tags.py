"""What the case page shows of shipping, without cases importing shipping: the case template loads
this library (as it loads the files panel's) and resolves the ship form by URL name."""

from django import template
from django.utils.html import format_html

from shipping.selectors import shipment_of_case

register = template.Library()


@register.simple_tag
def tracking_link(case):
    """{% tracking_link case %}: the tracking number, linked to the courier's tracking page when
    the case left in a shipment whose courier has one (one query)."""
    shipment = shipment_of_case(case)
    number = case.tracking_number or (shipment.tracking_number if shipment else "")
    if shipment is None:
        return number or "—"
    url = shipment.courier.tracking_url(number)
    if not url:
        return format_html("{} · {}", shipment.courier.name, number) if number else shipment.courier.name
    return format_html(
        '{} · <a href="{}" rel="noopener noreferrer" target="_blank">{}<span class="visually-hidden"> (opens the '
        "tracking page)</span></a>",
        shipment.courier.name,
        url,
        number,
    )

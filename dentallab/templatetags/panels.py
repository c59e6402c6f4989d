"""`{% panels "slot" key=value … %}`: the extension point through which newer apps add to pages
they do not own (the dashboard and the case page are cases'; traceability, production, billing and
shipping add panels to them) without the page's app importing theirs.

`settings.PAGE_PANELS[slot]` lists dotted paths of callables `(request, **context) -> str`; each is
called in order with the request and the keyword arguments given to the tag, and its HTML is placed
where the tag stands. A callable returns "" to show nothing. Imported by name at run time, so the
import fence (cases never imports the newer apps) holds.
"""

from django import template
from django.conf import settings
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe

register = template.Library()


@register.simple_tag(takes_context=True)
def panels(context, slot: str, **kwargs) -> str:
    request = context.get("request")
    if request is None:
        return ""
    html = [import_string(path)(request, **kwargs) for path in settings.PAGE_PANELS.get(slot, ())]
    # Each panel renders its own template (autoescaped): its output is already safe HTML.
    return mark_safe("".join(str(part) for part in html if part))  # noqa: S308

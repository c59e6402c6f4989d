"""`{% url %}` with the common cases remembered per process (dentallab.reversing).

Django's tag reverses on every render, about 25 µs of CPU a link; the case page has twenty. This
tag parses exactly as Django's (it is Django's parser) and writes exactly what Django's would; for
a literal view name with no argument or one id, no `as`, no keyword arguments and no
`request.current_app`, it takes the URL from `dentallab.reversing.reverse_cached`. Anything else,
and any URL that needs more care, goes through Django's own node. A builtin of the template engine
(settings.TEMPLATES), so every template's `{% url %}` is this one with nothing to load.
"""

from django import template
from django.template import defaulttags
from django.utils.html import conditional_escape

from dentallab.reversing import reverse_cached

register = template.Library()


class CachedURLNode(defaulttags.URLNode):
    def __init__(self, node: defaulttags.URLNode):
        super().__init__(node.view_name, node.args, node.kwargs, node.asvar)
        name = node.view_name
        # A quoted view name is a constant: FilterExpression holds its value as a str.
        literal = isinstance(name.var, str) and not name.filters
        self.cacheable = literal and not node.kwargs and len(node.args) <= 1 and node.asvar is None
        self.literal_name = str(name.var) if self.cacheable else None

    def render(self, context):
        if self.cacheable and getattr(getattr(context, "request", None), "current_app", None) is None:
            url = reverse_cached(self.literal_name, tuple(arg.resolve(context) for arg in self.args))
            if url is not None:
                return conditional_escape(url) if context.autoescape else url
        return super().render(context)


@register.tag
def url(parser, token):
    return CachedURLNode(defaulttags.url(parser, token))

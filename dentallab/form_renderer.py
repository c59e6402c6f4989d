"""FORM_RENDERER: Django's own form renderer, with the commonest widgets written in Python.

Django renders every widget through templates: an `<input>` is input.html plus an include of
attrs.html, and a `<select>` includes select_option.html and attrs.html once per option. On the
case list and the case page that was a sixth of the CPU (about 0.3 ms a widget, more with
options), for a few lines of HTML.

`FastWidgets` writes, for the templates below, the very same characters the templates write
(the tests compare both for every widget the project uses, with values and attributes that need
escaping). It only takes over a template whose source is Django's own, as shipped: a template an
app overrides, a widget with option groups, or a value or label of an unusual type goes through
the templates as before.
"""

import html

from django.forms.renderers import DjangoTemplates
from django.utils.functional import Promise, cached_property
from django.utils.html import conditional_escape
from django.utils.safestring import SafeData, mark_safe

_WIDGETS = "django/forms/widgets/"
_INCLUDE_INPUT = '{% include "django/forms/widgets/input.html" %}\n'
# The sources this module reproduces (Django 4.1–5.2 ship them unchanged).
_SOURCES = {
    "attrs.html": "{% for name, value in widget.attrs.items %}{% if value is not False %} {{ name }}"
    "{% if value is not True %}=\"{{ value|stringformat:'s' }}\"{% endif %}{% endif %}{% endfor %}",
    "input.html": '<input type="{{ widget.type }}" name="{{ widget.name }}"{% if widget.value != None %}'
    " value=\"{{ widget.value|stringformat:'s' }}\"{% endif %}"
    '{% include "django/forms/widgets/attrs.html" %}>\n',
    "textarea.html": '<textarea name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>\n'
    "{% if widget.value %}{{ widget.value }}{% endif %}</textarea>\n",
    "select.html": '<select name="{{ widget.name }}"{% include "django/forms/widgets/attrs.html" %}>'
    "{% for group_name, group_choices, group_index in widget.optgroups %}{% if group_name %}\n"
    '  <optgroup label="{{ group_name }}">{% endif %}{% for option in group_choices %}\n'
    "  {% include option.template_name with widget=option %}{% endfor %}{% if group_name %}\n"
    "  </optgroup>{% endif %}{% endfor %}\n</select>\n",
    "select_option.html": "<option value=\"{{ widget.value|stringformat:'s' }}\""
    '{% include "django/forms/widgets/attrs.html" %}>{{ widget.label }}</option>\n',
}
_INPUTS = ("text", "number", "email", "url", "password", "hidden", "search", "tel", "date", "datetime", "time")
_INPUTS += ("checkbox",)


class _Unusual(Exception):
    """A value this module does not write the way the template would: use the template."""


def _formatted(value) -> str:
    """`{{ value|stringformat:'s' }}`: str(value), escaped unless it is already safe HTML."""
    if isinstance(value, tuple):  # "%s" % (a, b) fails, and the filter writes ""
        raise _Unusual
    text = str(value)
    return text if isinstance(value, SafeData) else html.escape(text)


def _text(value) -> str:
    """`{{ value }}` of a string (anything else is localized by the template: not here)."""
    if isinstance(value, str | Promise):
        return str(conditional_escape(value))
    raise _Unusual


def _attrs(attrs) -> str:
    parts = []
    for name, value in attrs.items():
        if value is not False:
            parts.append(f" {_text(name)}" if value is True else f' {_text(name)}="{_formatted(value)}"')
    return "".join(parts)


def _input(widget) -> str:
    value = widget["value"]
    shown = "" if value is None else f' value="{_formatted(value)}"'
    return f'<input type="{_text(widget["type"])}" name="{_text(widget["name"])}"{shown}{_attrs(widget["attrs"])}>'


def _textarea(widget) -> str:
    value = widget["value"]
    content = _text(value) if value else ""
    return f'<textarea name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>\n{content}</textarea>'


def _select(widget) -> str:
    parts = [f'<select name="{_text(widget["name"])}"{_attrs(widget["attrs"])}>']
    for group_name, group_choices, _index in widget["optgroups"]:
        if group_name:
            raise _Unusual
        for option in group_choices:
            if option["template_name"] != _WIDGETS + "select_option.html":
                raise _Unusual
            parts.append(
                f'\n  <option value="{_formatted(option["value"])}"{_attrs(option["attrs"])}>'
                f"{_text(option['label'])}</option>\n"
            )
    parts.append("\n</select>")
    return "".join(parts)


class FastWidgets(DjangoTemplates):
    """settings.FORM_RENDERER = "dentallab.form_renderer.FastWidgets"."""

    @cached_property
    def writers(self) -> dict:
        """template name → function(widget context) → HTML, for templates still Django's own."""

        def source(name):
            try:
                return self.get_template(_WIDGETS + name).template.source
            except Exception:  # noqa: BLE001 — missing or not a Django template: no fast path
                return None

        if any(source(name) != text for name, text in _SOURCES.items()):
            return {}
        writers = {
            _WIDGETS + "textarea.html": _textarea,
            _WIDGETS + "select.html": _select,
        }
        for kind in _INPUTS:
            if source(f"{kind}.html") == _INCLUDE_INPUT:
                writers[f"{_WIDGETS}{kind}.html"] = _input
        return writers

    def render(self, template_name, context, request=None):
        writer = self.writers.get(template_name)
        if writer is not None and request is None:
            try:
                return mark_safe(writer(context["widget"]))  # noqa: S308 — every value is escaped above
            except (_Unusual, KeyError):
                pass
        return super().render(template_name, context, request=request)

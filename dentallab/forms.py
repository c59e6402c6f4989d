import functools

from django import forms


class _ReadAtOnce:
    """A queryset as ModelChoiceIterator sees it, whose `iterator()` reads the rows in one query.

    Django reads a model choice field's options with `queryset.iterator()`, which on PostgreSQL
    is a server-side cursor: DECLARE, FETCH and CLOSE, three round trips (and psycopg composing
    each command) for a menu of a few dozen names. Menus are short: one plain query will do.
    """

    _prefetch_related_lookups = ()

    def __init__(self, queryset, field):
        self._queryset = queryset
        self._field = field

    def iterator(self, *args, **kwargs):
        menu_rows = getattr(self._field, "menu_rows", None)
        return iter(menu_rows() if menu_rows else self._queryset._chain())

    def __getattr__(self, name):
        return getattr(self._queryset, name)


@functools.cache
def _read_at_once(iterator_class):
    class ReadAtOnce(iterator_class):
        def __init__(self, field):
            super().__init__(field)
            if self.queryset is not None and not self.queryset._prefetch_related_lookups:
                self.queryset = _ReadAtOnce(self.queryset, field)

    ReadAtOnce.__name__ = ReadAtOnce.__qualname__ = f"ReadAtOnce{iterator_class.__name__}"
    return ReadAtOnce


def read_choices_at_once(field: forms.ModelChoiceField) -> None:
    """Makes `field` (and its widget) read its options in one query, not through a cursor: its
    queryset's, or, when the form sets `field.menu_rows`, that callable's rows (a compiled query,
    dentallab.compiled, of the same queryset; the queryset still validates what is posted)."""
    field.iterator = _read_at_once(type(field).iterator)
    field.widget.choices = field.choices


class StyledFormMixin:
    """Gives every widget its Bootstrap class and marks fields with errors as invalid; model
    choice fields read their options in one query (read_choices_at_once)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if isinstance(field, forms.ModelChoiceField):
                read_choices_at_once(field)
            widget = field.widget
            if isinstance(widget, forms.CheckboxInput):
                css = "form-check-input"
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                css = "form-select"
            else:
                css = "form-control"
            widget.attrs["class"] = f"{widget.attrs.get('class', '')} {css}".strip()

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.fields:
                widget = self.fields[name].widget
                widget.attrs["class"] = f"{widget.attrs.get('class', '')} is-invalid".strip()
                widget.attrs["aria-invalid"] = "true"


def add_app_error(form, exc) -> None:
    """Show a service's refusal (a dentallab.exceptions.AppError) on the form: next to its field
    when the form has that field, else above the form."""
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)

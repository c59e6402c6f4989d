"""The case list's filters, shared by the web list page and `GET /api/cases/` so that a filter
means the same thing everywhere (NetBox style).

    filterset = CaseFilter(request.GET, queryset=Case.objects.visible_to(user), request=request)
    filterset.is_valid()  # False → filterset.errors / filterset.form.errors name the field
    filterset.qs

Use `cases.selectors.case_filter` / `case_list` rather than building it by hand: they add the
visibility rule and the joins the list needs.
"""

import html

import django_filters
from django import forms
from django.db.models import CharField, F, Func
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from accounts.models import Practice, User
from accounts.policy import VisibleQuery
from cases.models import STATUS_RANK, Case, Priority, Status
from dentallab.forms import StyledFormMixin

# ?ordering= values → model fields. "practice" sorts by the practice's name.
ORDERING_FIELDS = {
    "number": "number",
    "due_date": "due_date",
    "ship_by": "ship_by",
    "created_at": "created_at",
    "status": "status",
    "priority": "priority",
    "patient_name": "patient_name",
    "practice": "practice__name",
}
ORDERING_LABELS = {
    "number": "Case number",
    "due_date": "Due date",
    "ship_by": "Ship by",
    "created_at": "Created",
    "status": "Status",
    "priority": "Priority",
    "patient_name": "Patient",
    "practice": "Practice",
}

_TRUE = {"true", "1", "yes", "on"}
_FALSE = {"false", "0", "no", "off"}


class CaseSearchText(Func):
    """UPPER(number || '|' || patient_name || '|' || pan_number || '|' || product_search): what the
    search matches (product codes and names too), and exactly the expression of the
    case_search_trgm index (migration cases 0005; keep the two in step)."""

    template = "UPPER(%(expressions)s)"
    arg_joiner = " || '|' || "
    output_field = CharField()

    def __init__(self):
        super().__init__(F("number"), F("patient_name"), F("pan_number"), F("product_search"))


class StrictBooleanField(forms.NullBooleanField):
    """true/false (also 1/0, yes/no); empty means "don't filter"; anything else is an error,
    not silently ignored as django-filter's boolean widget would."""

    widget = forms.Select(choices=[("", "Any"), ("true", "Yes"), ("false", "No")])

    def to_python(self, value):
        if value in (None, "") or isinstance(value, bool):
            return value if isinstance(value, bool) else None
        text = str(value).strip().lower()
        if text in _TRUE:
            return True
        if text in _FALSE:
            return False
        raise forms.ValidationError("Use true or false.", code="invalid")

    def validate(self, value):
        pass


class MultiChoiceField(forms.MultipleChoiceField):
    """Several values as repeated parameters (?status=a&status=b) or comma-separated (?status=a,b)."""

    def to_python(self, value):
        values = super().to_python([value] if isinstance(value, str) else value)
        return [part.strip() for item in values for part in str(item).split(",") if part.strip()]


class FastSelect(forms.Select):
    """A <select> whose options are written in Python. Django renders every option through a
    template, ~0.06 ms each: with a lab's practices and dentists that was a sixth of the list
    page's time. Same HTML, for flat (ungrouped) choices."""

    def render(self, name, value, attrs=None, renderer=None):
        attrs = self.build_attrs(self.attrs, attrs)
        selected = set(self.format_value(value))
        # What format_html_join would write, without its per-argument SafeString round trips
        # (a lab's practices and dentists are a few hundred options).
        parts = []
        for key, label in self.choices:
            text = str(key)
            parts.append(
                f'<option value="{"" if key is None else html.escape(text)}"{" selected" if text in selected else ""}>'
                f"{conditional_escape(label)}</option>"
            )
        options = mark_safe("".join(parts))  # noqa: S308 — every value above is escaped
        attributes = format_html_join(
            "",
            "{}",
            (
                (format_html(" {}", key) if value is True else format_html(' {}="{}"', key, value),)
                for key, value in attrs.items()
                if value is not False and value is not None
            ),
        )
        return format_html('<select name="{}"{}>{}</select>', name, attributes, options)


class StrictBooleanFilter(django_filters.BooleanFilter):
    field_class = StrictBooleanField


class StatusFilter(django_filters.MultipleChoiceFilter):
    field_class = MultiChoiceField


class CaseFilterForm(StyledFormMixin, forms.Form):
    def clean(self):
        """A due range that ends before it starts would silently list nothing: say so, next to
        both date fields."""
        cleaned = super().clean()
        start, end = cleaned.get("due_after"), cleaned.get("due_before")
        if start and end and start > end:
            self.add_error("due_after", "The start of the due range is after its end.")
            self.add_error("due_before", "Pick a date on or after “Due from”.")
        return cleaned


# The choices only show names: loading whole rows (addresses, password hashes) for every option
# was a measurable part of rendering the list page.
def _practices_for(user):
    return Practice.objects.visible_to(user).only("id", "name")


def _dentists_for(user):
    return User.objects.visible_to(user).dentists().only("id", "name", "email")


def _visible_practices(request):
    return _practices_for(getattr(request, "user", None))


def _visible_dentists(request):
    return _dentists_for(getattr(request, "user", None))


# The two menus as the list page shows them, compiled once per process (dentallab.compiled); the
# querysets above still check what is posted.
_PRACTICE_MENU = VisibleQuery(_practices_for)
_DENTIST_MENU = VisibleQuery(_dentists_for)


class CaseOrderingFilter(django_filters.OrderingFilter):
    """Ordering with a final tie-breaker on id, so pages never overlap or skip rows."""

    def filter(self, qs, value):
        if value in django_filters.constants.EMPTY_VALUES:
            return qs
        ordering = [self.get_ordering_value(param) for param in value]
        tie_breaker = "-id" if ordering and ordering[0].startswith("-") else "id"
        return qs.order_by(*(self._expression(field) for field in ordering), tie_breaker)

    @staticmethod
    def _expression(field: str):
        """Status in lifecycle order; cases without a due date last in both directions."""
        name, descending = field.lstrip("-"), field.startswith("-")
        if name == "status":
            return STATUS_RANK.desc() if descending else STATUS_RANK.asc()
        if name == "due_date":
            return F(name).desc(nulls_last=True) if descending else F(name).asc(nulls_last=True)
        return field


class CaseFilter(django_filters.FilterSet):
    """Filters of the case list. Invalid values are errors naming the field (never ignored)."""

    status = StatusFilter(choices=Status.choices, label="Status", widget=forms.CheckboxSelectMultiple)
    practice = django_filters.ModelChoiceFilter(
        queryset=_visible_practices, label="Practice", empty_label="Any", widget=FastSelect
    )
    dentist = django_filters.ModelChoiceFilter(
        queryset=_visible_dentists, label="Dentist", empty_label="Any", widget=FastSelect
    )
    priority = django_filters.ChoiceFilter(choices=Priority.choices, label="Priority", empty_label="Any")
    due_after = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="gte",
        label="Due from",
        help_text="Due on or after this date.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    due_before = django_filters.DateFilter(
        field_name="due_date",
        lookup_expr="lte",
        label="Due until",
        help_text="Due on or before this date.",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    late = StrictBooleanFilter(method="filter_late", label="Late")
    search = django_filters.CharFilter(
        method="filter_search",
        label="Search",
        help_text="Case number, patient, pan number or product.",
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "placeholder": "Number, patient, pan or product"}),
    )
    ordering = CaseOrderingFilter(
        fields=[(field, param) for param, field in ORDERING_FIELDS.items()],
        field_labels={field: ORDERING_LABELS[param] for param, field in ORDERING_FIELDS.items()},
        label="Sort by",
    )

    class Meta:
        model = Case
        fields = ["status", "practice", "dentist", "priority", "due_after", "due_before", "late", "search"]
        form = CaseFilterForm

    @property
    def form(self):
        if not hasattr(self, "_form"):
            form = super().form
            user = getattr(self.request, "user", None)
            form.fields["practice"].menu_rows = lambda: _PRACTICE_MENU.list(user)
            form.fields["dentist"].menu_rows = lambda: _DENTIST_MENU.list(user)
        return self._form

    def filter_late(self, queryset, name, value):
        """The same rule as Case.is_late and CaseQuerySet.late()."""
        if value is None:
            return queryset
        return queryset.late() if value else queryset.not_late()

    def filter_search(self, queryset, name, value):
        """Case-insensitive substring of the number, patient name, pan number (backed by a
        pg_trgm GIN index on PostgreSQL: migration cases 0005), and the products of its lines."""
        value = value.strip().upper()
        if not value:
            return queryset
        return queryset.alias(search_text=CaseSearchText()).filter(search_text__contains=value)

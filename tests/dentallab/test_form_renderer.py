"""dentallab.form_renderer.FastWidgets writes exactly what Django's widget templates write."""

import datetime

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy

from dentallab.form_renderer import FastWidgets

pytestmark = pytest.mark.django_db

NASTY = 'He said "<b>hi</b>" & left\'s'


class Everything(forms.Form):
    text = forms.CharField(max_length=20, help_text="x", widget=forms.TextInput(attrs={"placeholder": NASTY}))
    lazy = forms.CharField(required=False, widget=forms.TextInput(attrs={"placeholder": gettext_lazy("Search")}))
    number = forms.IntegerField(min_value=1, max_value=99)
    decimal = forms.DecimalField(required=False, max_digits=5, decimal_places=2)
    email = forms.EmailField(required=False)
    url = forms.URLField(required=False, assume_scheme="https")
    password = forms.CharField(required=False, widget=forms.PasswordInput(render_value=True))
    hidden = forms.CharField(required=False, widget=forms.HiddenInput)
    search = forms.CharField(required=False, widget=forms.TextInput(attrs={"type": "search", "autofocus": True}))
    date = forms.DateField(required=False, widget=forms.DateInput(attrs={"type": "date"}))
    datetime = forms.DateTimeField(required=False)
    time = forms.TimeField(required=False)
    flag = forms.BooleanField(required=False)
    area = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 3, "data-x": mark_safe("<ok>")}))
    choice = forms.ChoiceField(choices=[("", "Choose…"), ("a", NASTY), ("b", mark_safe("<i>b</i>")), (3, "three")])
    typed = forms.TypedChoiceField(choices=[(1, "one"), (2, "two")], coerce=int, required=False)
    multiple = forms.MultipleChoiceField(choices=[("x", "X"), ("y", gettext_lazy("Why"))], required=False)
    grouped = forms.ChoiceField(choices=[("Group", [("g1", "G1")]), ("h", "H")], required=False)
    numbers = forms.ChoiceField(choices=[(1, 1), (2, 2)], required=False)  # labels that are not text
    radio = forms.ChoiceField(choices=[("r", "R")], widget=forms.RadioSelect, required=False)
    file = forms.FileField(required=False)


VALUES = [
    {},
    {
        "text": NASTY,
        "lazy": "x",
        "number": "7",
        "decimal": "1.50",
        "email": "a@b.c",
        "url": "https://x.test/?a=1&b=2",
        "password": "s<e>cret",
        "hidden": NASTY,
        "search": "",
        "date": "2026-12-07",
        "datetime": "2026-12-07 10:00",
        "time": "10:00",
        "flag": "on",
        "area": f"line 1\n{NASTY}",
        "choice": "a",
        "typed": "2",
        "multiple": ["x", "y"],
        "grouped": "g1",
        "numbers": "2",
        "radio": "r",
    },
]


@pytest.mark.parametrize("data", VALUES)
@pytest.mark.parametrize("bound", [True, False])
def test_every_widget_is_written_as_the_templates_write_it(data, bound):
    fast, django = FastWidgets(), DjangoTemplates()
    assert fast.writers, "Django's widget templates changed: the fast path is off"
    initial = {"date": datetime.date(2026, 1, 2), "choice": "b", "flag": True, "number": 3}
    for name in Everything.base_fields:
        a = Everything(data if bound else None, initial=initial, renderer=fast)
        b = Everything(data if bound else None, initial=initial, renderer=django)
        if bound:
            a.is_valid(), b.is_valid()
        assert str(a[name]) == str(b[name]), name


def test_the_project_forms_render_the_same(rf):
    from cases.forms import AssignForm, CaseForm, NoteForm, RemakeForm
    from tests.factories import DentistFactory, ManagerFactory, TechnicianFactory

    manager, dentist = ManagerFactory(), DentistFactory()
    TechnicianFactory(name=NASTY)
    for make in (
        lambda r: CaseForm(user=manager, renderer=r),
        lambda r: CaseForm(user=dentist, renderer=r),
        lambda r: NoteForm(user=manager, renderer=r),
        lambda r: AssignForm(renderer=r),
        lambda r: RemakeForm(user=manager, renderer=r),
        lambda r: RemakeForm({"reason": ""}, user=manager, renderer=r),
    ):
        fast, django = make(FastWidgets()), make(DjangoTemplates())
        if fast.is_bound:
            fast.is_valid(), django.is_valid()
        for name in fast.fields:
            assert str(fast[name]) == str(django[name]), name


def test_an_overridden_template_turns_the_fast_path_off(monkeypatch):
    renderer = FastWidgets()
    real = renderer.get_template

    class Overridden:
        def __init__(self, template):
            self.template = type("T", (), {"source": template.template.source + "<!-- ours -->"})()

    monkeypatch.setattr(
        renderer,
        "get_template",
        lambda name: Overridden(real(name)) if name.endswith("/input.html") else real(name),
    )
    assert renderer.writers == {}

"""dentallab.forms.StyledFormMixin: model choice menus read their options in one plain query
(no server-side cursor: DECLARE/FETCH/CLOSE), and render exactly as Django renders them."""

import pytest
from django import forms
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Practice
from dentallab.forms import StyledFormMixin
from tests.factories import PracticeFactory

pytestmark = pytest.mark.django_db


class Styled(StyledFormMixin, forms.Form):
    practice = forms.ModelChoiceField(queryset=Practice.objects.order_by("name"), empty_label="Choose…")
    practices = forms.ModelMultipleChoiceField(queryset=Practice.objects.order_by("name"), required=False)
    later = forms.ModelChoiceField(queryset=None, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["later"].queryset = Practice.objects.order_by("-name")


class Plain(forms.Form):
    practice = forms.ModelChoiceField(queryset=Practice.objects.order_by("name"), empty_label="Choose…")
    practices = forms.ModelMultipleChoiceField(queryset=Practice.objects.order_by("name"), required=False)
    later = forms.ModelChoiceField(queryset=Practice.objects.order_by("-name"), required=False)


@pytest.fixture
def practices():
    return [PracticeFactory(name=f"Practice <{index}>") for index in range(3)]


def test_each_menu_is_one_plain_query_with_djangos_html(practices):
    styled, plain = Styled(initial={"practice": practices[1].pk}), Plain(initial={"practice": practices[1].pk})
    for name in ("practice", "practices", "later"):
        with CaptureQueriesContext(connection) as queries:
            html = str(styled[name])
        assert len(queries) == 1, [q["sql"] for q in queries]
        assert not queries[0]["sql"].lstrip().upper().startswith("DECLARE")
        expected = str(plain[name]).replace('<select name="', '<select class="form-select" name="', 1)
        assert html.replace(' class="form-select"', "") == expected.replace(' class="form-select"', "")


def test_django_filter_menus_too(practices):
    from cases.selectors import case_filter
    from tests.factories import ManagerFactory

    form = case_filter(ManagerFactory(), {}).form
    assert isinstance(form, StyledFormMixin)
    for name in ("practice", "dentist"):
        with CaptureQueriesContext(connection) as queries:
            html = str(form[name])
        assert len(queries) == 1 and "DECLARE" not in queries[0]["sql"]
        if name == "practice":
            assert all(f"&lt;{index}&gt;</option>" in html for index in range(3))

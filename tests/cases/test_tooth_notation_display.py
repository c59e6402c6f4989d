"""Teeth are stored in FDI and shown in the lab's chosen notation (TOOTH_NOTATION)."""

import pytest
from django.template import Context, Template
from django.urls import reverse

from tests.case_pages import make_lab


def _render(text, **context):
    return Template("{% load cases_tags %}" + text).render(Context(context))


def test_fdi_is_the_default():
    assert _render("{{ t|teeth }}", t=[11, 21, 36]) == "11, 21, 36"


def test_universal_notation_relabels_teeth(settings):
    settings.TOOTH_NOTATION = "universal"
    assert _render("{{ t|teeth }} / {{ 18|tooth }} / {{ 38|tooth }}", t=[11, 21, 36]) == "8, 9, 19 / 1 / 17"


def test_the_chart_labels_follow_the_notation(settings):
    settings.TOOTH_NOTATION = "universal"
    html = _render('{% tooth_chart "c" %}')
    assert 'data-tooth="11" data-label="8"' in html and "Universal" in html
    assert 'data-tooth="55" data-label="A"' in html and 'data-tooth="85" data-label="T"' in html
    assert html.count('role="button"') == 32 + 20  # permanent and primary teeth


@pytest.mark.django_db
def test_the_case_page_shows_universal_numbers(client, settings):
    settings.TOOTH_NOTATION = "universal"
    lab = make_lab()
    client.force_login(lab.manager)
    html = client.get(reverse("cases:detail", args=[lab.case.pk])).content.decode()
    assert "8, 9" in html and "Teeth in Universal notation" in html

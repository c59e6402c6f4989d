"""The printable case ticket: what the bench needs on one A5 (or letter) sheet, with a QR code
of the case page that passes a strict CSP."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.urls import reverse

from cases.models import Case
from tests.case_pages import make_lab

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    return make_lab()


def test_the_ticket_shows_the_case_facts_items_and_a_qr_code(client, lab):
    client.force_login(lab.technician)
    response = client.get(reverse("cases:ticket", args=[lab.case.pk]))
    html = response.content.decode()
    for text in (lab.case.number, lab.practice.name, "JD-1042", "Light contacts please.", "Zirconia crown", "11, 21"):
        assert text in html
    assert lab.case.due_date is None or lab.case.due_date.strftime("%Y") in html
    assert '<svg class="qr-code"' in html and "<path d=" in html
    assert f"{settings.SITE_URL}/cases/{lab.case.pk}/" in html
    assert "120.00" not in html  # no prices on the bench ticket


def test_the_qr_code_has_no_inline_style_and_a_css_size(client, lab):
    client.force_login(lab.manager)
    html = client.get(reverse("cases:ticket", args=[lab.case.pk])).content.decode()
    svg = html[html.index('<svg class="qr-code"') :]
    svg = svg[: svg.index("</svg>")]
    assert "style" not in svg and 'width="' not in svg.split(">")[0]


def test_the_print_stylesheet_sets_a5_and_letter_pages(client, lab):
    css = Path(finders.find("css/ticket.css")).read_text(encoding="utf-8")
    assert "@page { size: A5" in css and "@page letter { size: letter" in css and "@media print" in css
    client.force_login(lab.manager)
    html = client.get(reverse("cases:ticket", args=[lab.case.pk]), {"paper": "letter"}).content.decode()
    assert "ticket sheet-letter" in html and "css/ticket.css" in html


def test_the_ticket_shows_ship_by_beside_the_due_date(client, lab):
    Case.objects.filter(pk=lab.case.pk).update(due_date=datetime.date(2026, 3, 13), ship_by=datetime.date(2026, 3, 11))
    client.force_login(lab.technician)
    html = client.get(reverse("cases:ticket", args=[lab.case.pk])).content.decode()
    due = html.index("Fri 13 Mar 2026")
    ship_by = html.index("Wed 11 Mar 2026")
    assert html.index(">Due<") < due < html.index(">Ship by<") < ship_by < html.index(">Practice<")
    assert 'class="ticket-due ticket-ship-by"' in html

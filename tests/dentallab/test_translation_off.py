"""USE_I18N is off: the app speaks English only, so Django's own strings (month names, form and
API error messages, choice labels) are used as written instead of being looked up in a catalogue on
every use. Dates, numbers and date input keep the en-us formats, and pages, form errors and API
errors read exactly as they do with translation on."""

import datetime
import re
from decimal import Decimal

import pytest
from django import forms
from django.urls import reverse
from django.utils import formats, translation
from freezegun import freeze_time

from cases.models import Status
from tests.case_pages import make_lab, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def translation_switch(settings):
    """switch(on): turn translation on or off for the rest of the test (Django picks its
    translation functions and caches formats once: both are forgotten here)."""

    def switch(on: bool) -> None:
        settings.USE_I18N = on
        translation._trans.__dict__.clear()
        formats._format_cache.clear()
        formats._format_modules_cache.clear()

    yield switch
    # Forgotten again, so the next test picks them for the restored setting.
    translation._trans.__dict__.clear()
    formats._format_cache.clear()
    formats._format_modules_cache.clear()


def test_translation_is_off_and_the_formats_are_still_us_english(settings):
    assert settings.USE_I18N is False
    day = datetime.date(2026, 12, 7)
    assert formats.date_format(day) == "Dec. 7, 2026"
    assert formats.date_format(day, "SHORT_DATE_FORMAT") == "12/07/2026"
    assert formats.date_format(datetime.datetime(2026, 12, 7, 15, 5), "DATETIME_FORMAT") == "Dec. 7, 2026, 3:05 p.m."
    assert formats.number_format(Decimal("1234.50"), 2) == "1234.50"
    # A typed date is read month first, as en-us reads it.
    assert forms.DateField().clean("12/07/2026") == day
    with pytest.raises(forms.ValidationError) as refused:
        forms.DateField().clean("31/12/2026")
    assert refused.value.messages == ["Enter a valid date."]


def _masked(response) -> str:
    html = response.content.decode()
    return re.sub(r'(name="csrfmiddlewaretoken" value=|nonce=|data-csrf=)"[^"]+"', r'\1"…"', html)


def _responses(client, lab) -> list:
    """Pages with dates, prices, choices and a form's errors, and an API error, as each role sees them."""
    out = []
    for user in (lab.manager, lab.technician, lab.dentist):
        client.force_login(user)
        for url in (reverse("home"), reverse("cases:list"), reverse("cases:detail", args=[lab.case.pk])):
            response = client.get(url)
            out.append((user.email, url, response.status_code, _masked(response)))
    client.force_login(lab.dentist)
    edit = client.post(reverse("cases:edit", args=[lab.case.pk]), {"patient_name": "", "due_date": "31/31/2026"})
    api = client.post("/api/cases/", {"items": [], "due_date": "2026-13-45"}, content_type="application/json")
    out += [("edit", edit.status_code, _masked(edit)), ("api", api.status_code, api.json())]
    return out


def test_pages_form_errors_and_api_errors_read_the_same_as_with_translation_on(client, translation_switch):
    with freeze_time("2026-12-07 10:30:00"):
        lab = make_lab()
        move(lab.case, lab.technician, Status.RECEIVED, Status.IN_DESIGN)
        translation_switch(True)
        with_translation = _responses(client, lab)
        assert translation._trans.gettext.__module__ == "django.utils.translation.trans_real"
        translation_switch(False)
        without = _responses(client, lab)
        assert translation._trans.gettext.__module__ == "django.utils.translation.trans_null"
    assert [r[:3] for r in without] == [r[:3] for r in with_translation]
    assert without == with_translation
    # …and they hold what the formats and messages above write.
    pages = "".join(str(r[-1]) for r in without)
    assert "This field is required." in pages
    assert "Date has wrong format." in pages or "Enter a valid date." in pages

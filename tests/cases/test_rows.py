"""The list and dashboard rows written in Python (cases/rows.py): every value escaped, the same
markers and labels the templates wrote."""

import datetime

import pytest
from django.urls import reverse

from cases.models import EventKind, Priority, Status, TimelineEvent
from tests.factories import (
    CaseFactory,
    CaseItemFactory,
    DentistFactory,
    ManagerFactory,
    PracticeFactory,
    ProductFactory,
    TechnicianFactory,
)
from workcalendar.calendar import lab_today

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
ESCAPED = "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;"


@pytest.fixture
def hostile_case():
    practice = PracticeFactory(name=f"Practice {SCRIPT}")
    dentist = DentistFactory(practice=practice, name=f"Dr {SCRIPT}")
    case = CaseFactory(
        dentist=dentist,
        practice=practice,
        patient_name=SCRIPT,
        pan_number='"P1"',
        status=Status.ON_HOLD,
        priority=Priority.RUSH,
        due_date=lab_today() - datetime.timedelta(days=3),
        ship_by=lab_today() - datetime.timedelta(days=4),
        assigned_technician=TechnicianFactory(name=f"Tech {SCRIPT}"),
    )
    CaseItemFactory(case=case, product=ProductFactory(name=f"Crown {SCRIPT}"), teeth=[11, 21], quantity=2)
    TimelineEvent.objects.create(case=case, kind=EventKind.STATUS, to_status=Status.ON_HOLD, body=f"{SCRIPT} " * 20)
    return case


def test_a_list_row_escapes_every_value_and_shows_its_markers(client, hostile_case):
    client.force_login(ManagerFactory())
    html = client.get(reverse("cases:list")).content.decode()
    assert SCRIPT not in html and '"P1"' not in html
    row = html[html.index('<tr class="is-late">') : html.index("</tr>", html.index('<tr class="is-late">'))]
    for text in (f"Practice {ESCAPED}", f"Dr {ESCAPED}", f"Tech {ESCAPED}", f"Crown {ESCAPED} ×2", "&quot;P1&quot;"):
        assert text in row, text
    assert 'href="{}"'.format(reverse("cases:detail", args=[hostile_case.pk])) in row
    assert "marker-rush" in row and "marker-late" in row and "status-badge status-on_hold" in row
    reason = row[row.index('data-testid="hold-reason">') :]
    assert reason.startswith(f'data-testid="hold-reason">{ESCAPED[:40]}') and "…</div>" in reason


def test_a_dashboard_row_escapes_every_value(client, hostile_case):
    client.force_login(ManagerFactory())
    html = client.get(reverse("home")).content.decode()
    assert SCRIPT not in html
    assert (
        f'{ESCAPED}</div></td><td><div>Practice {ESCAPED}</div><div class="small text-body-secondary">Dr {ESCAPED}'
        in html
    )
    assert "marker-late" in html and "marker-rush" in html

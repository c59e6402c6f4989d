"""The case page: Rx, items and prices for who may see them, the moves this user may make, the
timeline with internal notes hidden from dentists, assignment, remakes; service refusals (409,
403, a missing reason) show as friendly messages."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from accounts.audit import AuditAction, AuditEvent
from cases.models import Case, EventKind, Status
from cases.services import add_note
from tests.case_pages import make_lab, move
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    return make_lab()


def _detail(client, user, case):
    client.force_login(user)
    return client.get(reverse("cases:detail", args=[case.pk]))


def _messages(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_rx_items_and_total_are_shown_to_a_manager(client, lab):
    response = _detail(client, lab.manager, lab.case)
    html = response.content.decode()
    for text in ("JD-1042", "P-7", "Light contacts please.", "Zirconia crown", "11, 21", "120.00", "390.00"):
        assert text in html
    assert 'data-testid="case-total"' in html


def test_a_dentist_sees_their_practices_prices_and_a_technician_none(client, lab):
    assert "390.00" in _detail(client, lab.dentist, lab.case).content.decode()
    html = _detail(client, lab.technician, lab.case).content.decode()
    assert "120.00" not in html and "390.00" not in html and "Unit price" not in html


def test_viewing_a_case_is_audited(client, lab):
    _detail(client, lab.dentist, lab.case)
    assert AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, case_id=lab.case.pk, actor=lab.dentist).exists()


def test_each_role_sees_only_the_moves_it_may_make(client, lab):
    labels = lambda response: [m["label"] for m in response.context["moves"]]  # noqa: E731
    assert labels(_detail(client, lab.dentist, lab.case)) == ["Cancel case"]
    assert labels(_detail(client, lab.technician, lab.case)) == ["Mark received"]
    assert labels(_detail(client, lab.manager, lab.case)) == ["Mark received", "Cancel case"]
    move(lab.case, lab.technician, Status.RECEIVED, Status.IN_DESIGN, Status.AWAITING_APPROVAL)
    response = _detail(client, lab.dentist, lab.case)
    assert labels(response) == ["Request changes", "Approve design"]
    assert [m["reason"] for m in response.context["moves"]] == [True, False]
    assert 'name="note"' in response.content.decode()


def test_a_move_button_moves_the_case(client, lab):
    client.force_login(lab.technician)
    response = client.post(reverse("cases:move", args=[lab.case.pk]), {"to": Status.RECEIVED})
    assert response.status_code == 302
    lab.case.refresh_from_db()
    assert lab.case.status == Status.RECEIVED
    assert "has been received" in _messages(response)[0]


def test_a_stale_move_is_a_friendly_message_not_a_crash(client, lab):
    client.force_login(lab.manager)
    response = client.post(reverse("cases:move", args=[lab.case.pk]), {"to": Status.DELIVERED}, follow=True)
    assert response.status_code == 200
    assert "cannot move to" in response.content.decode()
    lab.case.refresh_from_db()
    assert lab.case.status == Status.SUBMITTED


def test_a_move_the_role_may_not_make_is_a_friendly_message(client, lab):
    client.force_login(lab.dentist)
    response = client.post(reverse("cases:move", args=[lab.case.pk]), {"to": Status.RECEIVED}, follow=True)
    assert response.status_code == 200
    assert "Your role may not move" in response.content.decode()
    lab.case.refresh_from_db()
    assert lab.case.status == Status.SUBMITTED


def test_a_move_without_its_reason_is_refused_with_a_message(client, lab):
    move(lab.case, lab.technician, Status.RECEIVED)
    client.force_login(lab.manager)
    response = client.post(reverse("cases:move", args=[lab.case.pk]), {"to": Status.ON_HOLD, "note": " "})
    assert "needs a reason" in _messages(response)[0]
    lab.case.refresh_from_db()
    assert lab.case.status == Status.RECEIVED
    client.post(reverse("cases:move", args=[lab.case.pk]), {"to": Status.ON_HOLD, "note": "Waiting for the bite"})
    lab.case.refresh_from_db()
    assert lab.case.status == Status.ON_HOLD
    assert "Resume (received)" in [m["label"] for m in _detail(client, lab.manager, lab.case).context["moves"]]


def test_internal_notes_are_hidden_from_the_dentist(client, lab):
    add_note(case=lab.case, actor=lab.technician, body="Margin looks thin", internal=True)
    add_note(case=lab.case, actor=lab.technician, body="Received, starting Monday")
    dentist_html = _detail(client, lab.dentist, lab.case).content.decode()
    assert "Received, starting Monday" in dentist_html and "Margin looks thin" not in dentist_html
    assert 'name="internal"' not in dentist_html
    lab_html = _detail(client, lab.manager, lab.case).content.decode()
    assert "Margin looks thin" in lab_html and 'name="internal"' in lab_html


def test_the_lab_adds_an_internal_note_and_a_dentists_note_is_always_shared(client, lab):
    client.force_login(lab.technician)
    client.post(reverse("cases:note", args=[lab.case.pk]), {"body": "Check the shade", "internal": "on"})
    client.force_login(lab.dentist)
    client.post(reverse("cases:note", args=[lab.case.pk]), {"body": "Please hurry", "internal": "on"})
    notes = {e.body: e.internal for e in lab.case.events.filter(kind=EventKind.NOTE)}
    assert notes == {"Check the shade": True, "Please hurry": False}


def test_an_empty_note_is_refused_with_a_message(client, lab):
    client.force_login(lab.dentist)
    response = client.post(reverse("cases:note", args=[lab.case.pk]), {"body": ""})
    assert _messages(response) and not lab.case.events.filter(kind=EventKind.NOTE).exists()


def test_the_lab_assigns_a_technician(client, lab):
    client.force_login(lab.manager)
    client.post(reverse("cases:assign", args=[lab.case.pk]), {"technician": lab.technician.pk})
    lab.case.refresh_from_db()
    assert lab.case.assigned_technician == lab.technician
    assert "Taylor Tech" in _detail(client, lab.manager, lab.case).content.decode()
    assert "Assigned to" not in _detail(client, lab.dentist, lab.case).content.decode()


def test_assigning_someone_who_is_not_a_technician_is_refused(client, lab):
    client.force_login(lab.manager)
    response = client.post(reverse("cases:assign", args=[lab.case.pk]), {"technician": lab.dentist.pk})
    assert _messages(response) == ["Choose an active technician."]


def test_a_shipped_case_offers_a_remake_that_links_back(client, lab):
    assert _detail(client, lab.manager, lab.case).context["remake_form"] is None
    move(lab.case, lab.manager, Status.RECEIVED, Status.IN_PRODUCTION, Status.QUALITY_CHECK, Status.SHIPPED)
    response = _detail(client, lab.dentist, lab.case)
    assert response.context["remake_form"] is not None
    response = client.post(reverse("cases:remake", args=[lab.case.pk]), {"reason": "Open margin on 21"})
    remake = Case.objects.get(remake_of=lab.case)
    assert response["Location"] == reverse("cases:detail", args=[remake.pk])
    html = _detail(client, lab.dentist, remake).content.decode()
    assert f'Remake of <a href="{reverse("cases:detail", args=[lab.case.pk])}">{lab.case.number}</a>' in html
    assert remake.number in _detail(client, lab.dentist, lab.case).content.decode()


def test_a_remake_needs_a_reason_and_a_finished_case(client, lab):
    client.force_login(lab.manager)
    response = client.post(reverse("cases:remake", args=[lab.case.pk]), {"reason": "Because", "responsibility": "lab"})
    assert "Only shipped, delivered or cancelled" in _messages(response)[0]
    move(lab.case, lab.manager, Status.CANCELLED)
    response = client.post(reverse("cases:remake", args=[lab.case.pk]), {"reason": "", "responsibility": "lab"})
    assert _messages(response)[-1] == "Say why the case is being remade."
    response = client.post(reverse("cases:remake", args=[lab.case.pk]), {"reason": "Because"})
    assert _messages(response)[-1] == "Say whose responsibility the remake is."
    assert not Case.objects.filter(remake_of=lab.case).exists()


def test_the_page_costs_a_constant_number_of_queries(client, lab, django_assert_max_num_queries):
    client.force_login(lab.manager)
    for index in range(15):
        add_note(case=lab.case, actor=lab.technician, body=f"note {index}")
    with django_assert_max_num_queries(
        16
    ):  # +2 traceability panels (one read of the lots), +1 production steps, +1 invoice panel
        client.get(reverse("cases:detail", args=[lab.case.pk]))


def test_a_case_never_shipped_and_never_remade_is_spared_the_invoice_and_remakes_queries(client, lab):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(lab.manager)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("cases:detail", args=[lab.case.pk]))
    assert response.status_code == 200
    sql = [query["sql"] for query in queries.captured_queries]
    assert not [q for q in sql if '"billing_invoice"' in q]
    assert not [
        q for q in sql if q.startswith('SELECT "cases_case"."id", "cases_case"."number", "cases_case"."status"')
    ]

    remake = CaseFactory(
        dentist=lab.dentist, practice=lab.practice, remake_of=lab.case, remake_reason="Open margin", number="2026-R0001"
    )
    assert f">{remake.number}</a>" in client.get(reverse("cases:detail", args=[lab.case.pk])).content.decode()
    client.force_login(lab.other_dentist)  # the original is not theirs: still a 404, remakes or not
    assert client.get(reverse("cases:detail", args=[lab.case.pk])).status_code == 404

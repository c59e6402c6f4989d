"""Case moves and notes tell the right people (DESIGN §14), in the app and by e-mail, within the
move's transaction; dentists only about their own practice's cases; internal notes never reach a
dentist; the e-mail names the case by number and patient reference only."""

import pytest
from django.core import mail
from django.db import transaction
from django.dispatch import receiver

from accounts.models import LabProfile
from billing.models import Invoice
from cases.models import Status
from cases.services import add_note, transition_case
from cases.signals import case_moved
from dentallab.exceptions import Conflict
from dentallab.models import OutgoingEmail
from notifications.models import Notification, NotificationPreference
from shipping.services import ship_cases
from tests.factories import AdminFactory, DentistFactory

pytestmark = pytest.mark.django_db


def told(event=None):
    rows = Notification.objects.order_by("id")
    if event:
        rows = rows.filter(event=event)
    return [(n.recipient.email, n.event) for n in rows]


@pytest.fixture
def named_lab(lab, settings):
    settings.SITE_URL = "https://lab.example.com"
    LabProfile.objects.update_or_create(pk=1, defaults={"legal_name": "Precision Dental Lab"})
    return lab


def test_receiving_a_case_tells_its_dentist_in_the_app_and_by_email(named_lab, run_tasks):
    lab = named_lab
    colleague = DentistFactory(practice=lab.practice)  # same practice, not their case: not told
    case = lab.case(status=Status.SUBMITTED, number="2026-00042", patient_name="JD-1042", instructions="Secret notes")
    transition_case(case=case, to=Status.RECEIVED, actor=lab.technician)
    assert told() == [(lab.dentist.email, "case_received")]
    [note] = Notification.objects.all()
    assert note.message.startswith("The lab received case 2026-00042 (JD-1042).")
    assert note.link == f"/cases/{case.pk}/"
    assert colleague.email not in [email for email, _ in told()]
    run_tasks()
    [message] = mail.outbox
    assert message.to == [lab.dentist.email]
    assert message.subject == "Precision Dental Lab: case 2026-00042 · Case received by the lab"
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert "Precision Dental Lab" in part and f"https://lab.example.com/cases/{case.pk}/" in part
        assert "2026-00042" in part and "JD-1042" in part
        assert "Secret notes" not in part  # nothing of the Rx beyond number and reference


def test_each_lifecycle_event_goes_to_its_default_recipients(lab):
    admin = AdminFactory()
    case = lab.case(status=Status.DRAFT, assigned_technician=lab.technician)
    transition_case(case=case, to=Status.SUBMITTED, actor=lab.dentist)
    assert sorted(told("new_submission")) == sorted(
        [(lab.manager.email, "new_submission"), (admin.email, "new_submission")]
    )
    case.refresh_from_db()
    for to in (Status.RECEIVED, Status.IN_DESIGN, Status.AWAITING_APPROVAL):
        transition_case(case=case, to=to, actor=lab.technician)
    assert told("awaiting_approval") == [(lab.dentist.email, "awaiting_approval")]
    transition_case(case=case, to=Status.IN_PRODUCTION, actor=lab.dentist)  # approved
    assert sorted(told("design_approved")) == sorted(
        [
            (lab.technician.email, "design_approved"),
            (lab.manager.email, "design_approved"),
            (admin.email, "design_approved"),
        ]
    )
    transition_case(case=case, to=Status.ON_HOLD, actor=lab.manager, note="Waiting for a new bite")
    assert told("on_hold") == [(lab.dentist.email, "on_hold")]
    assert "Waiting for a new bite" not in Notification.objects.get(event="on_hold").message


def test_the_person_who_acts_is_not_told(lab):
    case = lab.case(status=Status.SHIPPED)
    transition_case(case=case, to=Status.DELIVERED, actor=lab.dentist)
    assert told() == [(lab.manager.email, "delivery_confirmed")]
    manager_case = lab.case(status=Status.SHIPPED)
    Notification.objects.all().delete()
    transition_case(case=manager_case, to=Status.DELIVERED, actor=lab.manager)
    assert told() == []


def test_a_dentist_of_another_practice_is_never_told(lab):
    # A case whose dentist field points at someone of another practice (bad data) tells nobody.
    case = lab.case(status=Status.SUBMITTED)
    case.dentist = lab.other_dentist
    case.save()
    transition_case(case=case, to=Status.RECEIVED, actor=lab.technician)
    assert told() == []


def test_notes_tell_the_other_side_and_internal_notes_no_dentist(lab, run_tasks):
    case = lab.case(status=Status.IN_DESIGN, assigned_technician=lab.technician, patient_name="JD-7")
    add_note(case=case, actor=lab.technician, body="Margins unclear on 36, internal", internal=True)
    assert told() == []
    add_note(case=case, actor=lab.technician, body="Please send a new scan of 36")
    assert told() == [(lab.dentist.email, "lab_note")]
    assert Notification.objects.get().link == f"/cases/{case.pk}/#timeline"
    Notification.objects.all().delete()
    add_note(case=case, actor=lab.dentist, body="New scan uploaded")
    assert sorted(told()) == sorted([(lab.technician.email, "dentist_note"), (lab.manager.email, "dentist_note")])
    run_tasks()
    assert all("Please send a new scan" not in m.body and "New scan uploaded" not in m.body for m in mail.outbox)


def test_shipping_tells_the_dentist_with_the_tracking_link(named_lab, run_tasks):
    lab = named_lab
    case = lab.case(number="2026-00077", patient_name="JD-77")
    ship_cases(actor=lab.technician, courier=lab.ups, tracking_number="1Z999AA10123456784", case_ids=[case.pk])
    note = Notification.objects.get(event="shipped")
    assert note.message == "Case 2026-00077 (JD-77) has shipped. Sent with UPS, tracking 1Z999AA10123456784."
    run_tasks()
    # Shipping also issues the invoice: the dentist gets both e-mails, each under its own subject.
    by_subject = {message.subject: message for message in mail.outbox}
    assert sorted(by_subject) == [
        "Precision Dental Lab: case 2026-00077 · Case shipped",
        "Precision Dental Lab: case 2026-00077 · Invoice issued",
    ]
    assert all(message.to == [lab.dentist.email] for message in mail.outbox)
    message = by_subject["Precision Dental Lab: case 2026-00077 · Case shipped"]
    url = "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert f"Track it: {url}" in message.body
    assert f'href="{url}"' in message.alternatives[0][0]
    invoice_mail = by_subject["Precision Dental Lab: case 2026-00077 · Invoice issued"]
    assert "Track it" not in invoice_mail.body


def test_an_issued_invoice_tells_the_dentist_its_number_total_due_date_and_link(named_lab, run_tasks):
    lab = named_lab
    case = lab.case(number="2026-00078", patient_name="JD-78", instructions="Secret notes")
    ship_cases(actor=lab.technician, courier=lab.ups, tracking_number="1Z999AA10123456784", case_ids=[case.pk])
    invoice = Invoice.objects.get(case=case)
    total = f"{invoice.total:.2f} {invoice.currency}"
    due = f"{invoice.due_on:%a %-d %b %Y}"
    note = Notification.objects.get(event="invoice_issued")
    assert note.recipient == lab.dentist and note.case == case
    assert note.message == f"Invoice {invoice.number} for case 2026-00078: {total}, due {due}."
    assert note.link == f"/billing/invoices/{invoice.pk}/"
    run_tasks()
    [message] = [m for m in mail.outbox if m.subject.endswith("· Invoice issued")]
    assert message.to == [lab.dentist.email]
    html = message.alternatives[0][0]
    for part in (message.body, html):
        assert invoice.number in part and total in part and due in part
        assert f"https://lab.example.com/billing/invoices/{invoice.pk}/" in part
        assert "JD-78" not in part and "Secret notes" not in part  # nothing about the patient


def test_invoice_emails_follow_the_dentists_preferences(named_lab, run_tasks):
    lab = named_lab
    NotificationPreference.objects.create(user=lab.dentist, event="invoice_issued", channel="email", enabled=False)
    case = lab.case(number="2026-00079")
    ship_cases(actor=lab.technician, courier=lab.ups, tracking_number="1Z999AA10123456784", case_ids=[case.pk])
    assert told("invoice_issued") == [(lab.dentist.email, "invoice_issued")]  # in the app still
    run_tasks()
    assert [m.subject.split(" · ")[-1] for m in mail.outbox] == ["Case shipped"]


def test_a_move_that_rolls_back_tells_nobody_and_sends_nothing(lab, run_tasks):
    @receiver(case_moved, dispatch_uid="test-refuse-received")
    def refuse(sender, to_status, **kwargs):
        if to_status == Status.RECEIVED:
            raise Conflict("Not today.")

    try:
        case = lab.case(status=Status.SUBMITTED)
        with pytest.raises(Conflict), transaction.atomic():
            transition_case(case=case, to=Status.RECEIVED, actor=lab.technician)
    finally:
        case_moved.disconnect(dispatch_uid="test-refuse-received")
    assert told() == [] and not OutgoingEmail.objects.exists()
    run_tasks()
    assert mail.outbox == []


def test_preferences_turn_a_channel_off_but_not_on_hold_for_dentists(lab, run_tasks):
    NotificationPreference.objects.create(user=lab.dentist, event="case_received", channel="email", enabled=False)
    NotificationPreference.objects.create(user=lab.dentist, event="on_hold", channel="email", enabled=False)  # ignored
    case = lab.case(status=Status.SUBMITTED)
    transition_case(case=case, to=Status.RECEIVED, actor=lab.technician)
    transition_case(case=case, to=Status.ON_HOLD, actor=lab.technician, note="Bite missing")
    assert told() == [(lab.dentist.email, "case_received"), (lab.dentist.email, "on_hold")]
    run_tasks()
    assert [m.subject.split(" · ")[-1] for m in mail.outbox] == ["Case put on hold"]

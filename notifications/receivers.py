"""Case moves and notes → who is told (DESIGN §14). Connected in NotificationsConfig.ready(); they
run inside the move's (or the note's) transaction, so what they write rolls back with it.

Default recipients: a dentist event goes to the case's dentist (only ever for their own practice's
case); the lab's go to managers and admins, plus the case's technician for what concerns the work
on it (a design approved or sent back, a dentist's note). Internal notes tell no dentist.
"""

from django.db.models import Q
from django.dispatch import receiver
from django.urls import reverse

from accounts.models import User
from accounts.roles import Role
from billing.money import fmt
from billing.signals import invoice_issued
from cases.models import Status
from cases.signals import case_moved, note_added
from notifications.events import DENTIST_EVENTS, Event, event_for_move
from notifications.services import case_link, notify
from shipping.selectors import shipment_of_case


def _ref(case) -> str:
    """How a case is named to people: its number and the patient reference the dentist entered."""
    return f"case {case.number} ({case.patient_name})"


def _dentist_of(case) -> list[User]:
    dentist = case.dentist
    if dentist is None or dentist.role != Role.DENTIST or dentist.practice_id != case.practice_id:
        return []
    return [dentist]


def _lab_for(case, *, with_technician: bool) -> list[User]:
    who = Q(role__in=[Role.MANAGER, Role.ADMIN])
    if with_technician and case.assigned_technician_id:
        who |= Q(pk=case.assigned_technician_id)
    return list(User.objects.filter(who, is_active=True).order_by("pk"))


def _recipients(event: str, case) -> list[User]:
    if event in DENTIST_EVENTS:
        return _dentist_of(case)
    return _lab_for(case, with_technician=event in (Event.DESIGN_APPROVED, Event.CHANGES_REQUESTED, Event.DENTIST_NOTE))


def _move_message(event: str, case, actor) -> tuple[str, list[str], dict]:
    ref = _ref(case)
    due = f" Due {case.due_date:%a %-d %b %Y}." if case.due_date else ""
    if event == Event.CASE_RECEIVED:
        return f"The lab received {ref}.{due}", [], {}
    if event == Event.AWAITING_APPROVAL:
        return f"The design of {ref} is ready: please approve it or ask for changes.", [], {}
    if event == Event.ON_HOLD:
        return f"The lab put {ref} on hold. Open the case to see why.", [], {}
    if event == Event.SHIPPED:
        shipment = shipment_of_case(case)
        extra, lines = {}, []
        if shipment is not None:
            number = shipment.tracking_number
            url = shipment.courier.tracking_url(number)
            extra = {"courier": shipment.courier.name, "tracking_number": number, "tracking_url": url}
            sent = f"Sent with {shipment.courier.name}" + (f", tracking {number}" if number else "") + "."
            if url:
                lines.append(f"Track it: {url}")
            return f"{ref[0].upper()}{ref[1:]} has shipped. {sent}", lines, extra
        return f"{ref[0].upper()}{ref[1:]} has shipped.", lines, extra
    who = getattr(actor, "name", "") or "The dentist"
    if event == Event.NEW_SUBMISSION:
        return f"{case.practice.name} submitted {ref}.", [], {}
    if event == Event.DESIGN_APPROVED:
        return f"{who} approved the design of {ref}.", [], {}
    if event == Event.CHANGES_REQUESTED:
        return f"{who} asked for changes to the design of {ref}.", [], {}
    if event == Event.DELIVERY_CONFIRMED:
        return f"{who} confirmed delivery of {ref}.", [], {}
    return f"{ref[0].upper()}{ref[1:]} is now {Status(case.status).label.lower()}.", [], {}


@receiver(case_moved, dispatch_uid="notifications-case-moved")
def on_case_moved(sender, case, from_status, to_status, actor, **kwargs):
    event = event_for_move(from_status, to_status)
    if event is None:
        return
    message, lines, extra = _move_message(event, case, actor)
    notify(
        event=event,
        recipients=_recipients(event, case),
        message=message,
        case=case,
        actor=actor,
        email_lines=lines,
        extra=extra,
    )


@receiver(note_added, dispatch_uid="notifications-note-added")
def on_note_added(sender, case, note, actor, internal, **kwargs):
    """A dentist's note tells the lab; a lab's shared note tells the dentist; an internal note
    tells no dentist (and, being the lab's own, nobody). The note's text is never sent: it may
    say more about the patient than the case number does."""
    if internal:
        return
    ref = _ref(case)
    if getattr(actor, "role", None) == Role.DENTIST:
        event, message = Event.DENTIST_NOTE, f"{actor.name} wrote a note on {ref}."
    else:
        event, message = Event.LAB_NOTE, f"The lab wrote a note on {ref}."
    notify(
        event=event,
        recipients=_recipients(event, case),
        message=message,
        case=case,
        actor=actor,
        link=f"{case_link(case)}#timeline",
    )


@receiver(invoice_issued, dispatch_uid="notifications-invoice-issued")
def on_invoice_issued(sender, invoice, **kwargs):
    """An issued invoice tells the case's dentist (e-mail and in-app, as they chose): its number,
    total, due date and a link to the invoice page; nothing about the patient beyond the case
    number."""
    case = invoice.case
    total = f"{fmt(invoice.total)} {invoice.currency}"
    due = f"{invoice.due_on:%a %-d %b %Y}"
    notify(
        event=Event.INVOICE_ISSUED,
        recipients=_dentist_of(case),
        message=f"Invoice {invoice.number} for case {case.number}: {total}, due {due}.",
        case=case,
        link=reverse("billing:invoice", args=[invoice.pk]),
        email_lines=["The invoice and its PDF are on the invoice page."],
        extra={"link_label": f"Open invoice {invoice.number}"},
    )

"""What people are told about, who by default, and over which channels (DESIGN §14).

Dentists hear about their own cases: received, waiting for their approval, on hold (always: it
cannot be turned off), shipped (with tracking), a shared note from the lab, an invoice issued, the
monthly statement, and the Friday recap. Lab staff hear about new submissions, a design approved
or changes requested, a note from a dentist, and a delivery confirmed.
"""

from django.db import models


class Event(models.TextChoices):
    # dentists
    CASE_RECEIVED = "case_received", "Case received by the lab"
    AWAITING_APPROVAL = "awaiting_approval", "Design waiting for your approval"
    ON_HOLD = "on_hold", "Case put on hold"
    SHIPPED = "shipped", "Case shipped"
    LAB_NOTE = "lab_note", "A note from the lab"
    INVOICE_ISSUED = "invoice_issued", "Invoice issued"
    MONTHLY_STATEMENT = "monthly_statement", "Monthly statement"
    WEEKLY_RECAP = "weekly_recap", "Friday recap of your cases"
    # lab staff
    NEW_SUBMISSION = "new_submission", "New case submitted"
    DESIGN_APPROVED = "design_approved", "Design approved"
    CHANGES_REQUESTED = "changes_requested", "Design changes requested"
    DENTIST_NOTE = "dentist_note", "A note from a dentist"
    DELIVERY_CONFIRMED = "delivery_confirmed", "Delivery confirmed"


class Channel(models.TextChoices):
    EMAIL = "email", "E-mail"
    IN_APP = "in_app", "In the app"


CHANNELS = tuple(Channel.values)

DENTIST_EVENTS = (
    Event.CASE_RECEIVED,
    Event.AWAITING_APPROVAL,
    Event.ON_HOLD,
    Event.SHIPPED,
    Event.LAB_NOTE,
    Event.INVOICE_ISSUED,
    Event.MONTHLY_STATEMENT,
    Event.WEEKLY_RECAP,
)
LAB_EVENTS = (
    Event.NEW_SUBMISSION,
    Event.DESIGN_APPROVED,
    Event.CHANGES_REQUESTED,
    Event.DENTIST_NOTE,
    Event.DELIVERY_CONFIRMED,
)

# (event, channel) pairs a dentist cannot turn off.
DENTIST_LOCKED = frozenset({(Event.ON_HOLD, Channel.EMAIL), (Event.ON_HOLD, Channel.IN_APP)})

# Events that only exist as e-mail (a recap or a statement is a document, not an alert).
EMAIL_ONLY = frozenset({Event.WEEKLY_RECAP, Event.MONTHLY_STATEMENT})

# Case moves (from, to) → the event they raise; None for "from anywhere".
MOVE_EVENTS = {
    (None, "received"): Event.CASE_RECEIVED,
    (None, "awaiting_approval"): Event.AWAITING_APPROVAL,
    (None, "on_hold"): Event.ON_HOLD,
    (None, "shipped"): Event.SHIPPED,
    ("draft", "submitted"): Event.NEW_SUBMISSION,
    ("awaiting_approval", "in_production"): Event.DESIGN_APPROVED,
    ("awaiting_approval", "in_design"): Event.CHANGES_REQUESTED,
    ("shipped", "delivered"): Event.DELIVERY_CONFIRMED,
}


def event_for_move(from_status: str, to_status: str) -> str | None:
    return MOVE_EVENTS.get((from_status, to_status)) or MOVE_EVENTS.get((None, to_status))


def channels_for(event: str) -> tuple[str, ...]:
    # Plain strings, not enum members: they become field names of the API's schema.
    return (Channel.EMAIL.value,) if event in EMAIL_ONLY else CHANNELS

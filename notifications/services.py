"""Writes of the notifications app: telling people (in the app and by e-mail), reading, and
preferences. `notify(...)` is the entry point other apps use (billing: invoice issued, monthly
statement); the case lifecycle and notes reach it through notifications.receivers.

Everything is written in the caller's transaction: the in-app rows and the queued e-mails
(dentallab.mail) of a case move commit or roll back with the move.
"""

from collections.abc import Iterable

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import LabProfile, User
from accounts.policy import is_dentist, is_lab_staff
from dentallab.mail import queue_email, render_email
from notifications.events import DENTIST_EVENTS, DENTIST_LOCKED, LAB_EVENTS, Channel, Event, channels_for
from notifications.models import Notification, NotificationPreference

__all__ = ["events_for", "lab_name", "mark_all_read", "mark_read", "notify", "preferences_for", "set_preferences"]


def events_for(user) -> tuple[str, ...]:
    """The events this person can receive (dentists' or the lab's)."""
    if is_dentist(user):
        return DENTIST_EVENTS
    if is_lab_staff(user):
        return LAB_EVENTS
    return ()


def is_locked(user, event: str, channel: str) -> bool:
    """On hold is always told to dentists, on every channel."""
    return is_dentist(user) and (event, channel) in DENTIST_LOCKED


def lab_name() -> str:
    profile = LabProfile.current()
    return profile.legal_name or "DentalLab"


# ---- preferences -------------------------------------------------------------------------------


def preferences_for(user) -> dict[str, dict[str, bool]]:
    """{event: {channel: on?}} for every event this person can receive (defaults: on)."""
    saved = {
        (row.event, row.channel): row.enabled
        for row in NotificationPreference.objects.filter(user=user).only("event", "channel", "enabled")
    }
    return {
        event: {
            channel: True if is_locked(user, event, channel) else saved.get((event, channel), True)
            for channel in channels_for(event)
        }
        for event in events_for(user)
    }


@transaction.atomic
def set_preferences(*, user: User, changes: dict) -> dict[str, dict[str, bool]]:
    """Change some of a person's choices: {event: {channel: bool}}. Refused whole (400, naming the
    field) for an unknown event or channel, an event this person does not receive, a value that
    is not true/false, or turning off what cannot be (on hold, for dentists)."""
    if not isinstance(changes, dict):
        raise ValidationError({"non_field_errors": ["Send an object: {event: {channel: true|false}}."]})
    errors: dict[str, list[str]] = {}
    mine = events_for(user)
    rows = []
    for event, channels in changes.items():
        if event not in Event.values:
            errors[str(event)[:60]] = [f"Unknown event. Events: {', '.join(mine)}."]
            continue
        if event not in mine:
            errors[event] = ["You do not receive this event."]
            continue
        if not isinstance(channels, dict):
            errors[event] = ['Give the channels as {"email": true, "in_app": false}.']
            continue
        for channel, enabled in channels.items():
            field = f"{event}.{str(channel)[:20]}"
            if channel not in channels_for(event):
                errors[field] = [f"Not a channel of this event; use {', '.join(channels_for(event))}."]
            elif not isinstance(enabled, bool):
                errors[field] = ["Use true or false."]
            elif not enabled and is_locked(user, event, channel):
                errors[field] = ["Dentists are always told when a case is put on hold; this cannot be turned off."]
            else:
                rows.append(NotificationPreference(user=user, event=event, channel=channel, enabled=enabled))
    if errors:
        raise ValidationError(errors)
    NotificationPreference.objects.bulk_create(
        rows,
        update_conflicts=True,
        unique_fields=["user", "event", "channel"],
        update_fields=["enabled"],
    )
    return preferences_for(user)


def _wanted_channels(recipients: list[User], event: str) -> dict[int, set[str]]:
    """Each recipient's channels for this event (one query for all of them)."""
    off = set(
        NotificationPreference.objects.filter(user__in=recipients, event=event, enabled=False).values_list(
            "user_id", "channel"
        )
    )
    return {
        user.pk: {
            channel
            for channel in channels_for(event)
            if is_locked(user, event, channel) or (user.pk, channel) not in off
        }
        for user in recipients
    }


# ---- telling people ----------------------------------------------------------------------------


def case_link(case) -> str:
    return reverse("cases:detail", args=[case.pk])


def absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _allowed(user: User, event: str, case) -> bool:
    """A dentist only ever hears about their own practice's cases; nobody hears about events that
    are not theirs; inactive accounts hear nothing."""
    if user is None or not user.is_active or event not in events_for(user):
        return False
    return not (is_dentist(user) and case is not None and user.practice_id != case.practice_id)


def notify(
    *,
    event: str,
    recipients: Iterable[User],
    message: str,
    case=None,
    actor: User | None = None,
    link: str = "",
    email_lines: Iterable[str] = (),
    extra: dict | None = None,
    attachments: Iterable[tuple[str, bytes, str]] = (),
) -> list[Notification]:
    """Tell `recipients` about `event`: an in-app notification and an e-mail (plain text and
    HTML, with the lab's name and a link), each as their preferences allow. `message` is one
    sentence naming the case by number (and the patient reference), never more about the patient.
    `email_lines` are extra sentences for the e-mail; `extra` goes to the e-mail template (e.g.
    `tracking_url`). The person who caused the event is not told about it."""
    if event not in Event.values:
        raise ValueError(f"Unknown notification event {event!r}")
    people = []
    for user in recipients:
        if user is not None and user != actor and _allowed(user, event, case) and user not in people:
            people.append(user)
    if not people:
        return []
    channels = _wanted_channels(people, event)
    link = link or (case_link(case) if case is not None else "")
    in_app = [
        Notification(recipient=user, event=event, case=case, message=message[:300], link=link)
        for user in people
        if Channel.IN_APP in channels[user.pk]
    ]
    Notification.objects.bulk_create(in_app)
    emailed = [user for user in people if Channel.EMAIL in channels[user.pk]]
    if emailed:
        lab = lab_name()
        for user in emailed:
            context = {
                "lab_name": lab,
                "recipient": user,
                "event": event,
                "event_label": Event(event).label,
                "message": message,
                "lines": list(email_lines),
                "case": case,
                "url": absolute(link) if link else settings.SITE_URL,
                "preferences_url": absolute(reverse("notifications:preferences")),
                **(extra or {}),
            }
            subject, text, html = render_email("notifications/email/notification", context)
            queue_email(
                to=[user.email],
                subject=subject,
                text=text,
                html=html,
                kind=f"notification:{event}",
                attachments=attachments,
            )
    return in_app


# ---- reading -----------------------------------------------------------------------------------


def mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one of your own notifications read (reading it twice keeps the first time)."""
    if notification.recipient_id != user.pk:
        raise ValidationError({"id": ["Not your notification."]})
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def mark_all_read(*, user: User) -> int:
    """Mark all your unread notifications read; how many there were."""
    return Notification.objects.visible_to(user).unread().update(read_at=timezone.now())

"""The notifications page, marking read, and preferences. Thin: reads from selectors, writes
through services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from notifications import selectors, services
from notifications.events import Channel, Event, channels_for

PAGE_SIZE = 25


@login_required
def notification_list(request):
    show = request.GET.get("show", "all")
    unread = True if show == "unread" else None
    page = Paginator(selectors.notifications_for(request.user, unread=unread), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "notifications/list.html", {"page": page, "show": "unread" if unread else "all"})


def _safe_link(link: str) -> str:
    """Notifications lead to a page of this site, never elsewhere."""
    return link if link.startswith("/") and not link.startswith("//") else ""


@login_required
@require_POST
def mark_read(request, pk):
    notification = selectors.get_notification_for(request.user, pk)
    services.mark_read(user=request.user, notification=notification)
    if request.POST.get("open") and _safe_link(notification.link):
        return redirect(notification.link)
    return redirect("notifications:list")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(user=request.user)
    messages.success(request, f"{count} notification{'s' if count != 1 else ''} marked read.")
    return redirect("notifications:list")


@login_required
def preferences(request):
    """Event × channel on/off. What cannot be turned off (on hold, for dentists) is shown ticked
    and disabled."""
    user = request.user
    if request.method == "POST":
        changes = {
            event: {channel: f"{event}.{channel}" in request.POST for channel in channels}
            for event, channels in services.preferences_for(user).items()
        }
        # Locked pairs are never sent by the browser (disabled inputs): keep them on.
        for event, channels in changes.items():
            for channel in channels:
                if services.is_locked(user, event, channel):
                    channels[channel] = True
        try:
            services.set_preferences(user=user, changes=changes)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, "Your notification settings are saved.")
            return redirect("notifications:preferences")
    current = services.preferences_for(user)
    rows = [
        {
            "event": event,
            "label": Event(event).label,
            "channels": [
                {
                    "channel": channel,
                    "label": Channel(channel).label,
                    "offered": channel in channels_for(event),
                    "on": current[event].get(channel, False),
                    "locked": services.is_locked(user, event, channel),
                }
                for channel in Channel.values
            ],
        }
        for event in current
    ]
    return render(request, "notifications/preferences.html", {"rows": rows, "channels": Channel.choices})

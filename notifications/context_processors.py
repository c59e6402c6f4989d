"""The bell's unread count for the header (templates/base.html). Lazy: counted once, and only
when a page renders the header for a signed-in person (one indexed query)."""

from django.utils.functional import SimpleLazyObject

from notifications.selectors import unread_count


def bell(request):
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return {}
    return {"unread_notifications": SimpleLazyObject(lambda: unread_count(user))}

"""The notifications app's and the task runner's rows for the URL access matrix.

A notification is its recipient's alone: `w.users["dentist"]`'s is 404 for everyone else, lab
staff included. The cron endpoint answers 401 to anyone without CRON_SECRET (unset in tests, so
always)."""

from notifications.models import Notification


def _notification(w):
    return Notification.objects.create(recipient=w.users["dentist"], event="case_received", message="Case received.")


def notifications_access(Check, roles) -> dict:
    signed_in = roles(anonymous=302, admin=200, manager=200, technician=200, dentist=200, other_dentist=200)
    own_post = roles(anonymous=302, admin=404, manager=404, technician=404, dentist=302, other_dentist=404)
    api_all = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=200, other_dentist=200)
    return {
        "notifications:list": [Check(signed_in), Check(signed_in, data=lambda w: {"show": "unread"})],
        "notifications:read": [Check(own_post, method="post", kwargs=lambda w: {"pk": _notification(w).pk})],
        "notifications:read_all": [
            Check(
                roles(anonymous=302, admin=302, manager=302, technician=302, dentist=302, other_dentist=302),
                method="post",
            )
        ],
        "notifications:preferences": [Check(signed_in)],
        "api-notification-list": [Check(api_all), Check(api_all, data=lambda w: {"unread": "true"})],
        "api-notification-read": [
            Check(
                roles(anonymous=401, admin=404, manager=404, technician=404, dentist=200, other_dentist=404),
                method="post",
                kwargs=lambda w: {"pk": _notification(w).pk},
            )
        ],
        "api-notification-read-all": [Check(api_all, method="post")],
        "api-notification-preferences": [
            Check(api_all),
            Check(api_all, method="put", data=lambda w: {}),
            Check(
                roles(anonymous=401, admin=400, manager=400, technician=400, dentist=400, other_dentist=400),
                method="put",
                data=lambda w: {"no_such_event": {"email": False}},
                note="an unknown event",
            ),
        ],
        "api-cron-run-tasks": [
            Check(roles(anonymous=401, admin=401, manager=401, technician=401, dentist=401, other_dentist=401)),
            Check(
                roles(anonymous=401, admin=401, manager=401, technician=401, dentist=401, other_dentist=401),
                method="post",
                note="a user's token is not the cron secret",
            ),
        ],
    }

"""The working calendar's rows for the URL access matrix (tests/access_matrix.py). The calendar is
the lab's: technicians read it, managers and admins change it, dentists get 403."""

import datetime

from tests.factories import ProductFactory
from workcalendar.calendar import lab_today
from workcalendar.models import ClosedDay


def _closed_day(w):
    return ClosedDay.objects.get_or_create(date=lab_today() + datetime.timedelta(days=30), defaults={"reason": "Test"})[
        0
    ]


def _new_day(w) -> dict:
    return {"date": (lab_today() + datetime.timedelta(days=20)).isoformat(), "reason": "Stocktaking"}


def workcalendar_access(Check, roles) -> dict:
    lab_page = roles(anonymous=302, admin=200, manager=200, technician=200, dentist=403, other_dentist=403)
    manager_post = roles(anonymous=302, admin=302, manager=302, technician=403, dentist=403, other_dentist=403)
    return {
        "workcalendar:calendar": [Check(lab_page), Check(manager_post, method="post", data=_new_day)],
        "workcalendar:closed_day_delete": [
            Check(manager_post, method="post", kwargs=lambda w: {"pk": _closed_day(w).pk}),
            Check(
                roles(anonymous=302, admin=404, manager=404, technician=403, dentist=403, other_dentist=403),
                method="post",
                kwargs=lambda w: {"pk": 987654},
            ),
        ],
        "api-closed-day-list": [
            Check(roles(anonymous=401, admin=200, manager=200, technician=200, dentist=403, other_dentist=403)),
            Check(
                roles(anonymous=401, admin=201, manager=201, technician=403, dentist=403, other_dentist=403),
                method="post",
                data=_new_day,
            ),
        ],
        "api-schedule": [
            Check(
                roles(anonymous=401, admin=200, manager=200, technician=200, dentist=200, other_dentist=400),
                data=lambda w: {"products": str(ProductFactory().pk), "practice": w.practice.pk},
                note="another practice's id is answered like an unknown one (400 naming practice)",
            ),
        ],
        "api-closed-day-detail": [
            Check(
                roles(anonymous=401, admin=204, manager=204, technician=403, dentist=403, other_dentist=403),
                method="delete",
                kwargs=lambda w: {"pk": _closed_day(w).pk},
            ),
        ],
    }

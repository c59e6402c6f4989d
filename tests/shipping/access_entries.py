"""The shipping app's rows for the URL access matrix (tests/access_matrix.py).

Objects belong to `w.practice` (its dentist is `w.users["dentist"]`). Shipping, the manifest and
marking pickups done are the lab's actions: dentists get 403 whatever the object (the role is
checked first). Pickups are requested by dentists for their own practice and by the lab for any.
"""

import datetime

from django.utils import timezone

from cases.models import Status
from shipping.models import Courier, Pickup
from tests.factories import CaseFactory


def _qc_case(w):
    return CaseFactory(dentist=w.users["dentist"], practice=w.practice, status=Status.QUALITY_CHECK)


def _courier(w):
    return Courier.objects.get_or_create(
        name="UPS", defaults={"tracking_url_template": "https://ups.test/t/{tracking}"}
    )[0]


def _pickup(w):
    return Pickup.objects.create(
        practice=w.practice,
        requested_by=w.users["dentist"],
        date=timezone.localdate() + datetime.timedelta(days=1),
        window_start=datetime.time(9),
        window_end=datetime.time(11),
    )


def _ship_form(w) -> dict:
    case = _qc_case(w)
    return {"case": case.pk, "courier": _courier(w).pk, "tracking_number": "1Z999", "cases": [case.pk]}


def _pickup_data(w) -> dict:
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    return {"practice": w.practice.pk, "date": tomorrow.isoformat(), "window_start": "09:00", "window_end": "11:00"}


def shipping_access(Check, roles) -> dict:
    lab_page = roles(anonymous=302, admin=200, manager=200, technician=200, dentist=403, other_dentist=403)
    lab_post = roles(anonymous=302, admin=302, manager=302, technician=302, dentist=403, other_dentist=403)
    everyone_page = roles(anonymous=302, admin=200, manager=200, technician=200, dentist=200, other_dentist=200)
    api_all = roles(anonymous=401, admin=200, manager=200, technician=200, dentist=200, other_dentist=200)
    return {
        "shipping:ship": [
            Check(lab_page, data=lambda w: {"case": _qc_case(w).pk}),
            Check(lab_post, method="post", data=_ship_form),
            Check(
                roles(anonymous=302, admin=404, manager=404, technician=404, dentist=403, other_dentist=403),
                data=lambda w: {"case": 987654},
                note="a case that does not exist",
            ),
        ],
        "shipping:manifest": [
            Check(lab_page),
            Check(lab_page, data=lambda w: {"date": "2026-05-14", "courier": _courier(w).pk}),
        ],
        "shipping:pickups": [
            Check(everyone_page),
            Check(
                roles(anonymous=302, admin=302, manager=302, technician=302, dentist=302, other_dentist=302),
                method="post",
                data=_pickup_data,
                note="a dentist's pickup is for their own practice whatever the form says",
            ),
        ],
        "shipping:pickup_done": [
            Check(lab_post, method="post", kwargs=lambda w: {"pk": _pickup(w).pk}),
            Check(
                roles(anonymous=302, admin=405, manager=405, technician=405, dentist=405, other_dentist=405),
                kwargs=lambda w: {"pk": _pickup(w).pk},
            ),
        ],
        # --- API ---
        "api-shipment-list": [
            Check(api_all),
            Check(
                roles(anonymous=401, admin=201, manager=201, technician=201, dentist=403, other_dentist=403),
                method="post",
                data=lambda w: {
                    "courier": _courier(w).pk,
                    "tracking_number": "1Z999",
                    "cases": [_qc_case(w).pk],
                },
            ),
        ],
        "api-courier-list": [
            Check(roles(anonymous=401, admin=200, manager=200, technician=200, dentist=403, other_dentist=403))
        ],
        "api-pickup-list": [
            Check(api_all),
            Check(
                roles(anonymous=401, admin=201, manager=201, technician=201, dentist=201, other_dentist=400),
                method="post",
                data=_pickup_data,
                note="a dentist may not ask for another practice's pickup",
            ),
        ],
    }

"""The daily manifest per courier (/shipping/manifest/?date=): cases, practices with address, pan
numbers and a signatures column; the day's pickups on the lab driver's sheet; printable."""

import datetime

import pytest
from django.utils import timezone

from shipping.models import Pickup, Shipment
from shipping.services import ship_cases

pytestmark = pytest.mark.django_db


def ship(lab, courier, cases, tracking="1Z1", when=None):
    shipment = ship_cases(actor=lab.manager, courier=courier, tracking_number=tracking, case_ids=[c.pk for c in cases])
    if when:
        Shipment.objects.filter(pk=shipment.pk).update(shipped_at=when)
    return shipment


def test_the_days_manifest_lists_each_couriers_shipments_and_the_drivers_pickups(client, lab):
    today = timezone.localdate()
    ship(
        lab, lab.ups, [lab.case(number="2026-00101", pan_number="P-7"), lab.case(number="2026-00102")], tracking="1ZUPS"
    )
    ship(lab, lab.driver, [lab.case(number="2026-00103", practice=lab.other_practice)], tracking="")
    yesterday = timezone.now() - datetime.timedelta(days=1)
    ship(lab, lab.ups, [lab.case(number="2026-00104")], when=yesterday)
    Pickup.objects.create(
        practice=lab.practice, requested_by=lab.dentist, date=today, window_start=datetime.time(14),
        window_end=datetime.time(16), note="Two impressions at the front desk",
    )  # fmt: skip
    client.force_login(lab.technician)
    response = client.get(f"/shipping/manifest/?date={today.isoformat()}")
    html = response.content.decode()
    assert response.status_code == 200
    sheets = {sheet.courier.name: sheet for sheet in response.context["sheets"]}
    assert set(sheets) == {"UPS", "Lab driver"}
    assert sheets["UPS"].case_count == 2 and sheets["Lab driver"].case_count == 1
    assert [p.note for p in sheets["Lab driver"].pickups] == ["Two impressions at the front desk"]
    for text in ("2026-00101", "2026-00102", "P-7", "1ZUPS", "12 Harbour Street", "480 River Road", "14:00–16:00"):
        assert text in html
    assert "2026-00104" not in html  # another day
    assert html.count("Received by (name, signature, time)") == 2 and "Handed over by" in html
    assert 'href="/static/css/shipping.css"' in html and "data-print" in html


def test_one_courier_and_another_day(client, lab):
    ship(lab, lab.ups, [lab.case(number="2026-00111")])
    ship(lab, lab.driver, [lab.case(number="2026-00112")], tracking="")
    client.force_login(lab.manager)
    html = client.get(f"/shipping/manifest/?courier={lab.driver.pk}").content.decode()
    assert "2026-00112" in html and "2026-00111" not in html
    html = client.get("/shipping/manifest/?date=2020-01-03").content.decode()
    assert "Nothing shipped and no pickups on Friday 3 January 2020" in html
    response = client.get("/shipping/manifest/?date=yesterday", follow=True)
    assert "The date must look like 2026-05-14." in response.content.decode()
    assert client.get("/shipping/manifest/?courier=999999").status_code == 404


def test_the_manifest_costs_a_few_queries_whatever_the_days_volume(client, lab, django_assert_max_num_queries):
    for _ in range(10):
        ship(lab, lab.ups, [lab.case(), lab.case()])
    client.force_login(lab.manager)
    with django_assert_max_num_queries(12):
        response = client.get("/shipping/manifest/")
    assert response.context["sheets"][0].case_count == 20


def test_dentists_cannot_see_manifests(client, lab):
    client.force_login(lab.dentist)
    assert client.get("/shipping/manifest/").status_code == 403

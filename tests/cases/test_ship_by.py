"""Ship-by (issue 11 item 2): due − the practice's transit days in working days, set whenever the
due date or the practice's transit time changes, and the basis of "late"."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from cases.models import Case, Status
from cases.services import ItemInput, create_case, schedule, ship_by_for, transition_case, update_case
from tests.factories import CaseFactory, DentistFactory, ManagerFactory, ProductFactory
from workcalendar.calendar import add_working_days, lab_today, subtract_working_days
from workcalendar.models import ClosedDay
from workcalendar.services import add_closed_day

pytestmark = pytest.mark.django_db
D = datetime.date


def _dentist(transit=2):
    dentist = DentistFactory()
    dentist.practice.transit_days = transit
    dentist.practice.save()
    return dentist


def test_ship_by_skips_weekends_and_holidays():
    dentist = _dentist(2)
    # Due Monday 30 Nov 2026; two working days back skip the weekend and Thanksgiving (26th).
    assert ship_by_for(D(2026, 11, 30), dentist.practice) == D(2026, 11, 25)
    dentist.practice.transit_days = 0
    assert ship_by_for(D(2026, 11, 30), dentist.practice) == D(2026, 11, 30)
    assert ship_by_for(D(2026, 11, 29), dentist.practice) == D(2026, 11, 27)  # due on a Sunday


def test_suggested_due_and_ship_by():
    dentist = _dentist(2)
    crown = ProductFactory(turnaround_days=5)
    # Received Friday 20 Nov: 5 working days (23, 24, 25, 27, 30) + 2 in transit (1, 2 Dec).
    assert schedule([crown], dentist.practice, D(2026, 11, 20)) == (D(2026, 12, 2), D(2026, 11, 30))


def test_the_due_date_and_ship_by_are_set_on_receipt_and_on_edit():
    dentist = _dentist(1)
    crown = ProductFactory(turnaround_days=3, price=Decimal("100.00"))
    case = create_case(
        actor=dentist,
        practice=dentist.practice,
        dentist=dentist,
        patient_name="Chart 9",
        items=[ItemInput(product=crown, teeth=[11])],
        submit=True,
        due_date=D(2026, 12, 15),
    )
    assert case.ship_by == D(2026, 12, 14)
    manager = ManagerFactory()
    case = update_case(case=case, actor=manager, changes={"due_date": D(2026, 12, 21)})
    assert Case.objects.get(pk=case.pk).ship_by == D(2026, 12, 18)
    case = update_case(case=case, actor=manager, changes={"due_date": None})
    assert case.ship_by is None
    case = transition_case(case=case, to=Status.RECEIVED, actor=manager)
    assert case.due_date is not None and case.ship_by == ship_by_for(case.due_date, dentist.practice)


def test_changing_transit_days_or_closing_the_lab_moves_open_ship_by_dates():
    dentist = _dentist(0)
    due = add_working_days(lab_today() + datetime.timedelta(days=14), 0)
    open_case = CaseFactory(dentist=dentist, status=Status.IN_PRODUCTION, due_date=due)
    shipped = CaseFactory(dentist=dentist, status=Status.SHIPPED, due_date=due)
    practice = dentist.practice
    practice.transit_days = 2
    practice.save()
    two_before = subtract_working_days(due, 2)
    assert Case.objects.get(pk=open_case.pk).ship_by == two_before
    assert Case.objects.get(pk=shipped.pk).ship_by == due  # what happened stays
    add_closed_day(actor=ManagerFactory(), date=two_before, reason="Stocktaking")
    assert Case.objects.get(pk=open_case.pk).ship_by == subtract_working_days(two_before, 1)
    assert not ClosedDay.objects.exclude(date=two_before).exists()


def test_late_is_the_same_everywhere(client):
    today = timezone.localdate()
    manager = ManagerFactory()
    late = CaseFactory(
        status=Status.IN_PRODUCTION,
        due_date=today + datetime.timedelta(days=3),
        ship_by=today - datetime.timedelta(days=1),
    )
    CaseFactory(status=Status.IN_PRODUCTION, due_date=today + datetime.timedelta(days=3), ship_by=today)
    CaseFactory(status=Status.SHIPPED, due_date=today - datetime.timedelta(days=3))
    assert list(Case.objects.late()) == [late] and late.is_late
    client.force_login(manager)
    api = client.get("/api/cases/", {"late": "true"}).json()
    assert [row["number"] for row in api["results"]] == [late.number]
    assert api["results"][0]["late"] is True and api["results"][0]["ship_by"] == late.ship_by.isoformat()
    page = client.get("/cases/", {"late": "true"})
    assert [case.number for case in page.context["cases"]] == [late.number]
    assert page.content.decode().count('<tr class="is-late">') == 1
    csv_text = client.get("/cases/export.csv").content.decode("utf-8-sig")
    lines = [line.split(",") for line in csv_text.strip().splitlines()]
    header = lines[0]
    rows = {line[0]: dict(zip(header, line, strict=False)) for line in lines[1:]}
    assert rows[late.number]["Late"] == "yes" and rows[late.number]["Ship by"] == late.ship_by.isoformat()
    assert [number for number, row in rows.items() if row["Late"] == "yes"] == [late.number]
    home = client.get("/")
    assert home.context["data"].late == 1


def test_the_case_page_shows_ship_by(client):
    dentist = _dentist(2)
    case = CaseFactory(dentist=dentist, status=Status.RECEIVED, due_date=D(2026, 12, 16), ship_by=D(2026, 12, 14))
    client.force_login(ManagerFactory())
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert "Ship by" in html and "Mon 14 Dec 2026" in html and "2 working days in transit" in html

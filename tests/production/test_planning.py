"""Steps are created when a case is received and planned backwards from ship-by against capacity."""

import datetime

import pytest
from django.core.exceptions import ValidationError

from cases.models import Status
from cases.services import transition_case
from production import services
from production.models import CaseStep, StepStatus
from tests.factories import CaseFactory, CaseItemFactory, ManagerFactory, ProductFactory, TechnicianFactory
from tests.production.helpers import floor, received_case

pytestmark = pytest.mark.django_db

MON = datetime.date(2026, 12, 7)
TUE, WED, THU, FRI = (MON + datetime.timedelta(days=n) for n in range(1, 5))


def test_receiving_a_case_creates_its_steps_from_the_routing_first_one_ready():
    f = floor()
    case = received_case(f["product"], quantity=2, teeth=[11, 21])
    steps = list(CaseStep.objects.filter(case=case).order_by("position"))
    assert [s.name for s in steps] == ["Models", "CAD design", "Milling"]
    assert [s.status for s in steps] == [StepStatus.READY, StepStatus.PENDING, StepStatus.PENDING]
    assert all(s.units == 2 and s.planned_date for s in steps)


def test_a_product_without_routing_gives_no_steps():
    case = received_case(ProductFactory())
    assert not CaseStep.objects.filter(case=case).exists()


def test_hand_worked_plan_backwards_against_capacity():
    """Milling does 4 units a day and already has 3 planned on Friday. A 2-unit crown case that
    ships Friday: milling does not fit Friday (3 + 2 > 4) so it goes Thursday; design the working
    day before (Wednesday), models Tuesday."""
    f = floor(capacities=(10, 10, 4))
    other = CaseFactory(status=Status.IN_PRODUCTION)
    CaseStep.objects.create(
        case=other, department=f["milling"], name="Milling", position=1, units=3, planned_date=FRI, status="ready"
    )
    case = CaseFactory(status=Status.RECEIVED, ship_by=FRI, due_date=FRI)
    CaseItemFactory(case=case, product=f["product"], teeth=[11, 21], quantity=2)
    steps = services.create_steps(case, today=MON)
    assert [(s.name, s.planned_date) for s in steps] == [("Models", TUE), ("CAD design", WED), ("Milling", THU)]


def test_what_does_not_fit_before_ship_by_is_planned_today():
    """Ship-by Tuesday: milling Tuesday, design Monday (today); models cannot go earlier than today."""
    f = floor()
    case = CaseFactory(status=Status.RECEIVED, ship_by=TUE)
    CaseItemFactory(case=case, product=f["product"])
    steps = services.create_steps(case, today=MON)
    assert [s.planned_date for s in steps] == [MON, MON, TUE]


def test_a_weekend_ship_by_plans_from_the_friday_before():
    f = floor()
    case = CaseFactory(status=Status.RECEIVED, due_date=datetime.date(2026, 12, 12))  # a Saturday, no ship-by
    CaseItemFactory(case=case, product=f["product"])
    steps = services.create_steps(case, today=MON)
    assert [s.planned_date for s in steps] == [WED, THU, FRI]


def test_on_hold_frees_the_capacity_and_resume_plans_again():
    f = floor()
    case = received_case(f["product"])
    manager = ManagerFactory()
    case = transition_case(case=case, to=Status.ON_HOLD, actor=manager, note="Waiting for a new scan.")
    assert not CaseStep.objects.filter(case=case, planned_date__isnull=False).exists()
    transition_case(case=case, to=Status.RECEIVED, actor=manager)
    assert CaseStep.objects.filter(case=case, planned_date__isnull=True).count() == 0


def test_cancelling_cancels_the_open_steps():
    f = floor()
    case = received_case(f["product"])
    transition_case(case=case, to=Status.CANCELLED, actor=ManagerFactory(), note="Patient moved away.")
    assert set(CaseStep.objects.filter(case=case).values_list("status", flat=True)) == {StepStatus.CANCELLED}


def test_a_routing_with_no_steps_is_refused_and_nothing_changes():
    f = floor()
    with pytest.raises(ValidationError) as exc:
        services.set_routing(actor=ManagerFactory(), product=f["product"], steps=[])
    assert "steps" in exc.value.message_dict
    assert f["product"].routing_steps.count() == 3


def test_a_technician_may_not_edit_a_routing():
    f = floor()
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.set_routing(
            actor=TechnicianFactory(),
            product=f["product"],
            steps=[services.RoutingInput(department=f["models"], name="Models")],
        )


@pytest.mark.parametrize("capacity", [0, -3, "many"])
def test_a_capacity_below_one_is_a_field_error(capacity):
    with pytest.raises(ValidationError) as exc:
        services.save_department(actor=ManagerFactory(), data={"name": "Models", "daily_capacity": capacity})
    assert "daily_capacity" in exc.value.message_dict


def test_the_plan_skips_a_closed_day_and_a_public_holiday(settings):
    """US calendar: Thursday 26 November 2026 is Thanksgiving; the lab also closes Wednesday 25th.
    A case shipping Friday 27th: milling Friday, design Tuesday 24th, models Monday 23rd."""
    from workcalendar.models import ClosedDay

    settings.LAB_HOLIDAYS_COUNTRY = "US"
    ClosedDay.objects.create(date=datetime.date(2026, 11, 25), reason="Stocktaking")
    f = floor()
    case = CaseFactory(status=Status.RECEIVED, ship_by=datetime.date(2026, 11, 27))
    CaseItemFactory(case=case, product=f["product"])
    steps = services.create_steps(case, today=datetime.date(2026, 11, 23))
    assert [s.planned_date.day for s in steps] == [23, 24, 27]

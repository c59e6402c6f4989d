"""Steps are planned again when a received case's dates move (cases.signals.case_dates_changed):
the due date edited, the practice's transit days changed, or the lab closing a day. Only the steps
not yet started move; held and finished cases are left alone."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from cases.models import Case, Status
from cases.services import recompute_ship_by, transition_case, update_case
from cases.signals import case_dates_changed
from production.models import CaseStep, StepStatus
from tests.factories import DentistFactory, ManagerFactory, PracticeFactory
from tests.production.helpers import floor, received_case
from workcalendar.calendar import add_working_days, lab_today, subtract_working_days
from workcalendar.services import add_closed_day

pytestmark = pytest.mark.django_db


def _plan(case):
    return {s.name: s.planned_date for s in CaseStep.objects.filter(case=case)}


def _due(working_days):
    return add_working_days(lab_today(), working_days)


def _expected(ship_by):
    """Plenty of capacity: milling on ship-by, design and models the working days before."""
    return {
        "Milling": ship_by,
        "CAD design": subtract_working_days(ship_by, 1),
        "Models": subtract_working_days(ship_by, 2),
    }


def test_editing_the_due_date_after_receipt_replans_the_steps():
    f = floor()
    case = received_case(f["product"], due_date=_due(12))
    assert _plan(case) == _expected(case.ship_by)
    manager = ManagerFactory()
    case = update_case(case=case, actor=manager, changes={"due_date": _due(6)})
    assert case.ship_by == _due(6)
    assert _plan(case) == _expected(_due(6))
    case = update_case(case=case, actor=manager, changes={"due_date": _due(15)})
    assert _plan(case) == _expected(_due(15))


def test_started_and_done_steps_keep_their_date():
    f = floor()
    case = received_case(f["product"], due_date=_due(12))
    before = _plan(case)
    CaseStep.objects.filter(case=case, name="Models").update(status=StepStatus.DONE)
    CaseStep.objects.filter(case=case, name="CAD design").update(status=StepStatus.IN_PROGRESS)
    update_case(case=case, actor=ManagerFactory(), changes={"due_date": _due(8)})
    after = _plan(case)
    assert after["Models"] == before["Models"] and after["CAD design"] == before["CAD design"]
    assert after["Milling"] == _due(8)


def test_a_held_case_stays_unplanned_until_resumed():
    f = floor()
    case = received_case(f["product"], due_date=_due(12))
    manager = ManagerFactory()
    case = transition_case(case=case, to=Status.ON_HOLD, actor=manager, note="Waiting for a new scan.")
    case = update_case(case=case, actor=manager, changes={"due_date": _due(8)})
    assert set(_plan(case).values()) == {None}
    case = transition_case(case=case, to=Status.RECEIVED, actor=manager)
    assert _plan(case) == _expected(_due(8))


def test_transit_days_and_closed_days_replan_the_open_cases():
    f = floor()
    practice = PracticeFactory(transit_days=0)
    due, closed, day_before = _due(12), _due(11), _due(9)
    case = received_case(f["product"], dentist=DentistFactory(practice=practice), due_date=due)
    assert _plan(case) == _expected(due)
    practice.transit_days = 2
    practice.save()
    ship_by = Case.objects.get(pk=case.pk).ship_by
    assert ship_by == _due(10)
    assert _plan(case) == _expected(ship_by)
    add_closed_day(actor=ManagerFactory(), date=closed, reason="Stocktaking")
    ship_by = Case.objects.get(pk=case.pk).ship_by
    assert ship_by == subtract_working_days(due, 2) == day_before
    assert _plan(case) == _expected(ship_by)
    assert closed not in _plan(case).values()


def test_only_moved_dates_are_announced_and_replanning_is_bounded():
    f = floor()
    practice = PracticeFactory(transit_days=0)
    dentist = DentistFactory(practice=practice)
    cases = [received_case(f["product"], dentist=dentist, due_date=_due(8 + n)) for n in range(4)]
    sent = []

    def catch(sender, case_ids, **kwargs):
        sent.append(case_ids)

    case_dates_changed.connect(catch, dispatch_uid="test-catch")
    try:
        assert recompute_ship_by(Case.objects.filter(practice=practice)) == 0
        practice.save()  # nothing moved: nothing written, nothing announced
        assert sent == []
        Case.objects.filter(practice=practice).update(ship_by=None)
        with CaptureQueriesContext(connection) as queries:
            assert recompute_ship_by(Case.objects.filter(practice=practice)) == 4
        assert sent == [sorted(c.pk for c in cases)]
        # Savepoint and release, the cases, the closed days, one update; the receiver: the steps, the
        # closed days, then three per re-planned case (capacity, load, one bulk update).
        assert len(queries) == 7 + 3 * len(cases)
    finally:
        case_dates_changed.disconnect(dispatch_uid="test-catch")
    for case in cases:
        assert _plan(case) == _expected(Case.objects.get(pk=case.pk).ship_by)


def test_a_due_date_patched_over_the_api_replans_and_a_refused_patch_does_not(api):
    f = floor()
    case = received_case(f["product"], due_date=_due(12))
    before = _plan(case)
    response = api(ManagerFactory()).patch(f"/api/cases/{case.pk}/", {"due_date": _due(7).isoformat()}, format="json")
    assert response.status_code == 200, response.json()
    assert _plan(case) == _expected(_due(7))
    response = api(ManagerFactory()).patch(
        f"/api/cases/{case.pk}/", {"due_date": _due(12).isoformat(), "status": "shipped"}, format="json"
    )
    assert response.status_code == 400
    assert _plan(case) == _expected(_due(7)) != before

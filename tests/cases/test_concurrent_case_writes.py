"""Two people moving or editing one case at the same moment (real PostgreSQL row locks, two
connections): exactly one move wins, the other is told (TransitionNotAllowed → HTTP 409), and no
write is lost."""

import threading
import time
from decimal import Decimal

import pytest
from django.db import connections, transaction

from cases.models import Case, EventKind, Product, Status, TimelineEvent
from cases.services import ItemInput, TransitionNotAllowed, create_case, transition_case, update_case
from tests.factories import DentistFactory, ManagerFactory, TechnicianFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,  # row locks
]


@pytest.fixture
def submitted_case():
    dentist = DentistFactory()
    crown = Product.objects.create(code="ZC", name="Zirconia crown", price=Decimal("120.00"))
    return create_case(
        actor=dentist,
        practice=dentist.practice,
        dentist=dentist,
        patient_name="Chart 7",
        items=[ItemInput(product=crown, teeth=[11])],
        submit=True,
    )


def in_thread(target):
    """Run `target` on its own database connection; return (thread, outcome dict)."""
    outcome = {}

    def run():
        try:
            outcome["result"] = target()
        except Exception as exc:  # noqa: BLE001 — the test inspects it
            outcome["error"] = exc
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    return thread, outcome


def test_of_two_people_receiving_one_case_at_once_one_wins_and_the_other_is_told(submitted_case):
    first, second = ManagerFactory(), TechnicianFactory()
    locked = threading.Event()

    def slow_first_move():
        with transaction.atomic():
            transition_case(case=submitted_case, to=Status.RECEIVED, actor=first)
            locked.set()
            time.sleep(0.4)  # still holding the row lock

    thread_a, outcome_a = in_thread(slow_first_move)
    assert locked.wait(5)
    started = time.monotonic()
    thread_b, outcome_b = in_thread(lambda: transition_case(case=submitted_case, to=Status.RECEIVED, actor=second))
    thread_a.join(10)
    thread_b.join(10)

    assert "error" not in outcome_a
    assert isinstance(outcome_b["error"], TransitionNotAllowed)  # told: the case is received already
    assert time.monotonic() - started >= 0.3  # it waited for the lock instead of reading stale data
    moves = TimelineEvent.objects.filter(case=submitted_case, kind=EventKind.STATUS, to_status=Status.RECEIVED)
    assert [event.actor_id for event in moves] == [first.pk]


def test_of_two_conflicting_moves_at_once_exactly_one_is_applied(submitted_case):
    manager = ManagerFactory()
    transition_case(case=submitted_case, to=Status.RECEIVED, actor=manager)
    barrier = threading.Barrier(2)

    def move(to, note=""):
        def run():
            barrier.wait(5)
            return transition_case(case=submitted_case, to=to, actor=ManagerFactory(), note=note)

        return run

    threads = [in_thread(move(Status.IN_DESIGN)), in_thread(move(Status.CANCELLED, note="Patient moved away"))]
    for thread, _ in threads:
        thread.join(10)
    outcomes = [outcome for _, outcome in threads]

    winners = [outcome["result"] for outcome in outcomes if "result" in outcome]
    losers = [outcome["error"] for outcome in outcomes if "error" in outcome]
    assert len(winners) == 1 and len(losers) == 1
    assert isinstance(losers[0], TransitionNotAllowed)
    case = Case.objects.get(pk=submitted_case.pk)
    assert case.status == winners[0].status
    assert TimelineEvent.objects.filter(case=case, kind=EventKind.STATUS, from_status=Status.RECEIVED).count() == 1


def test_two_people_editing_different_fields_at_once_lose_neither_change(submitted_case):
    barrier = threading.Barrier(2)

    def edit(changes):
        def run():
            barrier.wait(5)
            return update_case(case=submitted_case, actor=ManagerFactory(), changes=changes)

        return run

    threads = [in_thread(edit({"instructions": "Match the neighbours"})), in_thread(edit({"pan_number": "P-17"}))]
    for thread, outcome in threads:
        thread.join(10)
        assert "error" not in outcome, outcome
    case = Case.objects.get(pk=submitted_case.pk)
    assert (case.instructions, case.pan_number) == ("Match the neighbours", "P-17")
    assert TimelineEvent.objects.filter(case=case, kind=EventKind.EDIT).count() == 2

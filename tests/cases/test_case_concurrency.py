"""Concurrency against PostgreSQL: case numbers handed out from several connections at once, and
two people moving one case at once (the row lock in transition_case)."""

import threading
import time

import pytest
from django.db import connections, transaction
from django.utils import timezone

from cases.models import Case, EventKind, Status
from cases.services import ItemInput, TransitionNotAllowed, create_case, next_case_number, transition_case
from tests.factories import CaseFactory, DentistFactory, ManagerFactory, ProductFactory, TechnicianFactory

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.postgres,  # row locks and connections
]


def run_in_threads(count, target):
    """Run target(index) in `count` threads, each on its own database connection, started
    together; return their results or exceptions."""
    barrier = threading.Barrier(count)
    results = [None] * count

    def worker(index):
        try:
            barrier.wait(timeout=10)
            results[index] = target(index)
        except Exception as exc:  # noqa: BLE001 — reported to the test
            results[index] = exc
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def test_cases_created_at_once_from_several_connections_get_distinct_sequential_numbers():
    dentist = DentistFactory()
    product = ProductFactory()
    threads, per_thread = 8, 4

    def create(index):
        numbers = []
        for n in range(per_thread):
            case = create_case(
                actor=dentist,
                practice=dentist.practice,
                dentist=dentist,
                patient_name=f"T{index}-{n}",
                items=[ItemInput(product=product, teeth=[11])],
            )
            numbers.append(case.number)
        return numbers

    results = run_in_threads(threads, create)
    errors = [result for result in results if isinstance(result, Exception)]
    assert not errors, errors
    numbers = [number for result in results for number in result]
    year = timezone.localdate().year
    assert sorted(numbers) == [f"{year}-{n:05d}" for n in range(1, threads * per_thread + 1)]
    assert Case.objects.count() == threads * per_thread


def test_the_raw_sequence_never_repeats_under_contention():
    def take(_index):
        return [next_case_number(2031) for _ in range(10)]

    results = run_in_threads(6, take)
    numbers = [number for result in results for number in result]
    assert len(set(numbers)) == 60
    assert max(numbers) == "2031-00060"


def test_two_people_making_the_same_move_at_once_cannot_both_win():
    case = CaseFactory(status=Status.SUBMITTED)
    actors = [TechnicianFactory(), ManagerFactory()]

    def receive(index):
        return transition_case(case=Case.objects.get(pk=case.pk), to=Status.RECEIVED, actor=actors[index])

    results = run_in_threads(2, receive)
    wins = [result for result in results if isinstance(result, Case)]
    losses = [result for result in results if isinstance(result, TransitionNotAllowed)]
    assert (len(wins), len(losses)) == (1, 1), results
    assert case.events.filter(kind=EventKind.STATUS).count() == 1


def test_the_second_mover_waits_for_the_first_and_sees_its_result():
    """The first connection holds the row lock (its transaction is still open) while the second
    tries the same move from the same stale copy: the second blocks, then is refused."""
    case = CaseFactory(status=Status.QUALITY_CHECK)
    stale = Case.objects.get(pk=case.pk)
    first_holds_lock = threading.Event()
    outcome = {}

    def first():
        try:
            with transaction.atomic():
                transition_case(case=stale, to=Status.SHIPPED, actor=ManagerFactory())
                first_holds_lock.set()
                time.sleep(0.5)
            outcome["first"] = "shipped"
        finally:
            connections.close_all()

    def second():
        try:
            first_holds_lock.wait(timeout=10)
            started = time.monotonic()
            try:
                transition_case(case=stale, to=Status.SHIPPED, actor=TechnicianFactory())
                outcome["second"] = "shipped"
            except TransitionNotAllowed:
                outcome["second"] = "refused"
            outcome["waited"] = time.monotonic() - started
        finally:
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert outcome["first"] == "shipped" and outcome["second"] == "refused"
    assert outcome["waited"] > 0.3  # it really waited for the lock
    case.refresh_from_db()
    assert case.status == Status.SHIPPED
    assert case.events.filter(kind=EventKind.STATUS).count() == 1

"""Two technicians starting the same step at once, each on their own connection: one wins, the
other is refused with 409 (the case row lock, then the update that only applies to a ready step)."""

import pytest
from django.db import connection

from production import services
from production.exceptions import StepNotReady
from production.models import CaseStep, StepStatus
from tests.cases.test_case_concurrency import run_in_threads
from tests.factories import TechnicianFactory
from tests.production.helpers import floor, received_case

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL's row locks and connections"),
]


def test_two_technicians_starting_one_step_at_once_one_wins():
    first, second = TechnicianFactory(), TechnicianFactory()
    f = floor(technician=first)
    f["models"].technicians.add(second)
    case = received_case(f["product"])
    step = CaseStep.objects.get(case=case, position=1)
    technicians = [first, second]

    def start(index):
        return services.start_step(step=CaseStep.objects.get(pk=step.pk), actor=technicians[index])

    results = run_in_threads(2, start)
    won = [r for r in results if isinstance(r, CaseStep)]
    refused = [r for r in results if isinstance(r, StepNotReady)]
    assert len(won) == 1 and len(refused) == 1, results
    assert refused[0].status_code == 409
    step.refresh_from_db()
    assert step.status == StepStatus.IN_PROGRESS and step.technician_id == won[0].technician_id

"""Work in progress by department on the lab's reports page (production/report_sections.py, added
through settings.REPORT_SECTIONS): steps ready and in progress per department now, the CSV,
constant queries, managers only."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from dentallab.exceptions import Forbidden
from production.models import CaseStep, StepStatus
from production.report_sections import work_in_progress_by_department
from tests.factories import DentistFactory, ManagerFactory, PracticeFactory, TechnicianFactory
from tests.production.helpers import floor, received_case

pytestmark = pytest.mark.django_db


@pytest.fixture
def board():
    lab = floor()
    technician = TechnicianFactory()
    practice = PracticeFactory()
    first = received_case(lab["product"], practice=practice)  # Models ready, the rest pending
    second = received_case(lab["product"], quantity=3, teeth=(11, 12, 13))
    CaseStep.objects.filter(case=second, name="Models").update(status=StepStatus.DONE)
    CaseStep.objects.filter(case=second, name="CAD design").update(status=StepStatus.IN_PROGRESS, technician=technician)
    third = received_case(lab["product"])
    CaseStep.objects.filter(case=third, name__in=["Models", "CAD design"]).update(status=StepStatus.DONE)
    CaseStep.objects.filter(case=third, name="Milling").update(status=StepStatus.READY)
    return {**lab, "technician": technician, "practice": practice, "first": first}


def csv_lines(client, **params):
    response = client.get("/reports/departments.csv", params)
    assert response.status_code == 200
    return response.content.decode("utf-8-sig").splitlines()


def test_each_department_shows_its_ready_and_running_steps(client, board):
    client.force_login(ManagerFactory())
    units = {s.name: s.units for s in CaseStep.objects.filter(status__in=["ready", "in_progress"])}
    assert csv_lines(client) == [
        "Department,Ready,In progress,Units open",
        f"Models,1,0,{units['Models']}",
        f"CAD design,0,1,{units['CAD design']}",
        f"Milling,1,0,{units['Milling']}",
    ]


def test_the_practice_and_technician_filters_apply(client, board):
    client.force_login(ManagerFactory())
    assert [line.split(",")[:3] for line in csv_lines(client, practice=board["practice"].pk)[1:]] == [
        ["Models", "1", "0"], ["CAD design", "0", "0"], ["Milling", "0", "0"],
    ]  # fmt: skip
    assert [line.split(",")[:3] for line in csv_lines(client, technician=board["technician"].pk)[1:]] == [
        ["Models", "0", "0"], ["CAD design", "0", "1"], ["Milling", "0", "0"],
    ]  # fmt: skip
    assert [line.split(",")[1:3] for line in csv_lines(client, category="crown_bridge")[1:]] == [
        ["1", "0"], ["0", "1"], ["1", "0"],
    ]  # fmt: skip
    assert [line.split(",")[1:3] for line in csv_lines(client, category="removable")[1:]] == [["0", "0"]] * 3


def test_the_page_shows_the_table_beside_its_chart(client, board):
    client.force_login(ManagerFactory())
    html = client.get("/reports/").content.decode()
    assert 'id="departments"' in html and "Work in progress by department" in html
    assert 'id="chart-departments-title"' in html and "/reports/departments.csv" in html


def test_the_queries_do_not_grow_with_steps_or_departments(client, board):
    client.force_login(ManagerFactory())
    with CaptureQueriesContext(connection) as few:
        csv_lines(client)
    for _ in range(3):
        received_case(board["product"])
    with CaptureQueriesContext(connection) as many:
        lines = csv_lines(client)
    assert lines[1] == "Models,4,0,4"
    assert len(many) == len(few) <= 6


@pytest.mark.parametrize("factory", [TechnicianFactory, DentistFactory])
def test_technicians_and_dentists_are_refused(client, db, factory):
    user = factory()
    client.force_login(user)
    assert client.get("/reports/departments.csv").status_code == 403
    with pytest.raises(Forbidden):
        work_in_progress_by_department(user, None, {})

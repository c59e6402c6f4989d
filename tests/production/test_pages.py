"""The board, the bench and the load view: what they show, and a constant number of queries."""

import datetime

import pytest
from django.urls import reverse

from cases.models import Case
from production import selectors, services
from production.models import CaseStep
from tests.factories import DentistFactory, ManagerFactory, TechnicianFactory
from tests.production.helpers import floor, received_case

pytestmark = pytest.mark.django_db

# Session, user, the page's own queries (board 4 with the technician filter's, bench 2, load 3), the
# nav's notification bell.
BUDGET = {"production:board": 7, "production:bench": 5, "production:load": 9}


@pytest.fixture
def tech(client):
    tech = TechnicianFactory()
    client.force_login(tech)
    return tech


def _fill(f, n, tech):
    cases = [received_case(f["product"], actor=ManagerFactory()) for _ in range(n)]
    for case in cases[: n // 2]:
        services.start_step(step=case.steps.order_by("position").first(), actor=tech)
    return cases


@pytest.mark.parametrize("name", list(BUDGET))
def test_pages_take_the_same_queries_for_2_or_12_cases(client, tech, name, django_assert_max_num_queries):
    f = floor(technician=tech)
    _fill(f, 2, tech)
    with django_assert_max_num_queries(BUDGET[name]):
        assert client.get(reverse(name)).status_code == 200
    _fill(f, 10, tech)
    with django_assert_max_num_queries(BUDGET[name]):
        assert client.get(reverse(name)).status_code == 200


def test_board_shows_cards_by_ship_by_and_late_in_red(client, tech):
    f = floor(technician=tech)
    late = received_case(f["product"])
    Case.objects.filter(pk=late.pk).update(ship_by=datetime.date(2020, 1, 6))
    received_case(f["product"])
    page = client.get(reverse("production:board")).content.decode()
    models_column = page.split('id="dept-')[1]
    assert models_column.index(late.number) < models_column.index("step-card", models_column.index(late.number) + 1)
    assert "step-card late" in page and "Late: " in page
    assert "Today:" in page and "units planned" in page


def test_board_filters_by_technician(client, tech):
    f = floor(technician=tech)
    mine, theirs = received_case(f["product"]), received_case(f["product"])
    other = TechnicianFactory()
    f["models"].technicians.add(other)
    services.start_step(step=mine.steps.get(position=1), actor=tech)
    services.start_step(step=theirs.steps.get(position=1), actor=other)
    page = client.get(reverse("production:board"), {"technician": tech.pk}).content.decode()
    assert mine.number in page and theirs.number not in page


def test_bench_shows_my_work_then_ready_steps_with_links_to_the_case(client, tech):
    f = floor(technician=tech)
    started, waiting = received_case(f["product"]), received_case(f["product"])
    services.start_step(step=started.steps.get(position=1), actor=tech)
    page = client.get(reverse("production:bench")).content.decode()
    in_progress, ready = page.split('data-testid="bench-ready"')
    assert started.number in in_progress and "Finish" in in_progress
    assert waiting.number in ready and "Start" in ready
    assert reverse("files:case_files", args=[waiting.pk]) in ready


def test_bench_shows_the_product_and_teeth_of_a_step(client, tech):
    f = floor(technician=tech)
    case = received_case(f["product"], teeth=(11, 21), quantity=2)
    page = client.get(reverse("production:bench")).content.decode()
    assert case.number in page and "Zirconia crown · teeth 11, 21 · " in page


def test_bench_says_how_many_when_a_list_is_longer_than_the_page(client, tech, monkeypatch):
    monkeypatch.setattr(selectors, "BENCH_LIMIT", 1)
    f = floor(technician=tech)
    cases = [received_case(f["product"]) for _ in range(3)]
    for case in cases[:2]:
        services.start_step(step=case.steps.get(position=1), actor=tech)
    page = client.get(reverse("production:bench")).content.decode()
    in_progress, ready = page.split('data-testid="bench-ready"')
    assert 'In progress <span class="badge text-bg-light border">2</span>' in in_progress
    assert "Showing the 1 with the earliest ship-by of 2." in in_progress
    assert cases[2].number in ready and "Showing the" not in ready


def test_board_says_how_many_more_a_column_has(client, tech, monkeypatch):
    monkeypatch.setattr(selectors, "BOARD_CARDS_PER_COLUMN", 1)
    f = floor(technician=tech)
    for _ in range(3):
        received_case(f["product"])
    page = client.get(reverse("production:board")).content.decode()
    models_column = page.split(f'id="dept-{f["models"].pk}"')[1].split("</section>")[0]
    assert '<span class="badge text-bg-light border">3</span>' in models_column
    assert models_column.count('data-testid="step-card"') == 1 and "and 2 more" in models_column


def test_bench_start_is_one_click(client, tech):
    f = floor(technician=tech)
    case = received_case(f["product"])
    step = case.steps.get(position=1)
    response = client.post(reverse("production:step_start", args=[step.pk]), {"next": reverse("production:bench")})
    assert response.status_code == 302 and response.url == reverse("production:bench")
    assert CaseStep.objects.get(pk=step.pk).status == "in_progress"
    again = client.post(reverse("production:step_start", args=[step.pk]), follow=True)
    assert b"only a ready step can be started" in again.content


def test_technicians_dashboard_shows_their_bench(client, tech):
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="dashboard-bench"' in page and reverse("production:bench") in page


def test_load_marks_overloads(client, tech):
    f = floor(technician=tech, capacities=(1, 1, 1))
    for _ in range(3):
        received_case(f["product"], due_date=datetime.date.today())
    page = client.get(reverse("production:load")).content.decode()
    assert "over capacity" in page


def test_dentists_get_403_on_floor_pages(client):
    client.force_login(DentistFactory())
    for name in ("production:board", "production:bench", "production:load", "production:scan"):
        assert client.get(reverse(name)).status_code == 403


def test_department_form_shows_a_capacity_error_next_to_the_field(client):
    client.force_login(ManagerFactory())
    page = client.post(reverse("production:department_create"), {"name": "Ceramics", "daily_capacity": "0"})
    assert page.status_code == 200 and "A daily capacity is at least 1 unit." in page.content.decode()


def test_routing_page_refuses_an_empty_routing(client):
    f = floor()
    client.force_login(ManagerFactory())
    data = {"form-TOTAL_FORMS": "1", "form-INITIAL_FORMS": "0", "form-0-department": "", "form-0-name": "",
            "form-0-stage": "production"}  # fmt: skip
    page = client.post(reverse("production:routing_edit", args=[f["product"].pk]), data)
    assert "A routing needs at least one step." in page.content.decode()
    assert f["product"].routing_steps.count() == 3


def test_bench_leaves_out_cases_on_hold_and_the_board_says_why(client, tech):
    from cases.models import Status
    from cases.services import transition_case

    f = floor(technician=tech)
    held = received_case(f["product"])
    transition_case(case=held, to=Status.ON_HOLD, actor=ManagerFactory(), note="New scan needed.")
    bench_page = client.get(reverse("production:bench")).content.decode()
    assert held.number not in bench_page
    board_page = client.get(reverse("production:board")).content.decode()
    assert held.number in board_page and "On hold" in board_page

"""cases.selectors.dashboard: the home page's counts, in a constant number of queries."""

import datetime

import pytest

from cases.models import Status
from cases.selectors import DASHBOARD_LIST_SIZE, dashboard
from tests.factories import CaseFactory, DentistFactory, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db

# A Wednesday: "the next 7 days" run to Tuesday the 28th.
TODAY = datetime.date(2026, 4, 22)


def days(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def lab_cases():
    tech = TechnicianFactory()
    dentist = DentistFactory()
    cases = {
        "late": CaseFactory(status=Status.IN_PRODUCTION, due_date=days(-2), dentist=dentist),
        "late_rush": CaseFactory(status=Status.RECEIVED, due_date=days(-1), priority="rush", assigned_technician=tech),
        "shipped_past_due": CaseFactory(status=Status.SHIPPED, due_date=days(-3)),
        "today": CaseFactory(status=Status.IN_DESIGN, due_date=TODAY, dentist=dentist),
        "sunday": CaseFactory(status=Status.QUALITY_CHECK, due_date=days(4)),
        "next_week": CaseFactory(status=Status.AWAITING_APPROVAL, due_date=days(5), dentist=dentist),
        "draft_rush": CaseFactory(status=Status.DRAFT, priority="rush", dentist=dentist),
    }
    return tech, dentist, cases


def test_lab_dashboard_counts(lab_cases, django_assert_max_num_queries):
    tech, _, cases = lab_cases
    # 4 for the lab's figures (shared for a few seconds in production) + 1 for the user's own.
    with django_assert_max_num_queries(5):
        board = dashboard(ManagerFactory.build(pk=10**6), today=TODAY)
    assert board.counts[Status.IN_PRODUCTION] == 1 and board.counts[Status.DELIVERED] == 0
    assert sum(board.counts.values()) == len(cases)
    assert (board.late, board.due_today, board.due_next_7_days, board.rush) == (2, 1, 3, 1)
    assert board.open == 5
    with django_assert_max_num_queries(3):
        assert [case.number for case in board.late_cases] == [cases["late"].number, cases["late_rush"].number]
        assert [case.number for case in board.due_today_cases] == [cases["today"].number]
        assert [case.number for case in board.rush_cases] == [cases["late_rush"].number]
    assert dashboard(tech, today=TODAY).mine_open == 1


def test_dentist_dashboard_shows_only_their_practice(lab_cases):
    _, dentist, cases = lab_cases
    board = dashboard(dentist, today=TODAY)
    assert sum(board.counts.values()) == 4
    assert board.mine_open == 3
    assert board.drafts == 1
    assert board.awaiting_approval == 1
    assert [case.number for case in board.awaiting_approval_cases] == [cases["next_week"].number]
    assert [row[0] for row in board.status_rows] == list(Status.values)


def test_late_follows_the_ship_by_date_not_the_due_date():
    """Due in two days but it had to leave yesterday (two days in transit): late."""
    must_have_left = CaseFactory(status=Status.IN_PRODUCTION, due_date=days(2), ship_by=days(-1))
    CaseFactory(status=Status.IN_PRODUCTION, due_date=days(-1), ship_by=days(-1), priority="rush").delete()
    board = dashboard(ManagerFactory.build(pk=10**6), today=TODAY)
    assert board.late == 1
    assert list(board.late_cases) == [must_have_left]


def test_on_a_sunday_the_next_7_days_are_not_just_today():
    sunday = datetime.date(2026, 4, 26)
    CaseFactory(status=Status.IN_DESIGN, due_date=sunday)
    CaseFactory(status=Status.IN_DESIGN, due_date=datetime.date(2026, 4, 28))
    CaseFactory(status=Status.IN_DESIGN, due_date=datetime.date(2026, 5, 3))  # the 8th day
    board = dashboard(ManagerFactory.build(pk=10**6), today=sunday)
    assert (board.due_today, board.due_next_7_days) == (1, 2)


def _concatenated(board) -> list[int]:
    """What the "most urgent" list was before it became one query: the three lists in a row,
    each case once, the first DASHBOARD_LIST_SIZE."""
    seen, rows = set(), []
    for case in [*board.late_cases, *board.due_today_cases, *board.rush_cases]:
        if case.pk not in seen:
            seen.add(case.pk)
            rows.append(case.pk)
    return rows[:DASHBOARD_LIST_SIZE]


@pytest.mark.parametrize(
    ("late", "today", "rush"), [(0, 0, 0), (2, 3, 4), (0, 4, 12), (3, 12, 5), (11, 2, 2), (9, 0, 6)]
)
def test_the_urgent_list_is_the_late_today_and_rush_lists_in_a_row_in_one_query(
    lab_cases, late, today, rush, django_assert_num_queries
):
    for index in range(late):
        CaseFactory(
            status=Status.IN_PRODUCTION, due_date=days(-1 - index % 3), priority="rush" if index % 2 else "normal"
        )
    for index in range(today):
        CaseFactory(status=Status.RECEIVED, due_date=TODAY, priority="rush" if index % 3 == 0 else "normal")
    for index in range(rush):
        CaseFactory(status=Status.IN_DESIGN, due_date=days(index % 4) if index % 5 else None, priority="rush")
    board = dashboard(ManagerFactory(), today=TODAY)
    with django_assert_num_queries(1):
        urgent = [case.pk for case in board.urgent_cases]
    assert urgent == _concatenated(board)

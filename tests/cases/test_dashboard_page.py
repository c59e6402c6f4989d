"""The role-aware dashboard: lab counts that link to the filtered list, and a dentist's own
open cases and approvals."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Status
from tests.case_pages import make_lab, make_many_cases
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    return make_lab()


def test_the_lab_dashboard_counts_link_to_the_same_cases_in_the_list(client, lab):
    make_many_cases(lab, 30)
    client.force_login(lab.manager)
    response = client.get(reverse("home"))
    data, links = response.context["data"], response.context["links"]
    for key in ("late", "due_today", "due_next_7_days", "rush"):
        listed = client.get(links[key] + "&page_size=100")
        assert listed.status_code == 200
        assert listed.context["page"].paginator.count == getattr(data, key), key
    html = response.content.decode()
    assert "Most urgent" in html and "Cases by status" in html
    for row in response.context["status_rows"]:
        assert client.get(row["url"]).context["page"].paginator.count == row["count"]


def test_the_most_urgent_list_starts_with_late_cases(client, lab):
    today = timezone.localdate()
    late = CaseFactory(dentist=lab.dentist, status=Status.IN_PRODUCTION, due_date=today - datetime.timedelta(days=2))
    client.force_login(lab.technician)
    urgent = client.get(reverse("home")).context["urgent"]
    assert urgent[0] == late


def test_a_dentist_sees_their_open_cases_and_what_awaits_approval(client, lab):
    waiting = CaseFactory(dentist=lab.dentist, status=Status.AWAITING_APPROVAL)
    CaseFactory(dentist=lab.other_dentist, status=Status.AWAITING_APPROVAL)
    client.force_login(lab.dentist)
    response = client.get(reverse("home"))
    html = response.content.decode()
    assert response.context["awaiting"] == [waiting]
    assert {c.pk for c in response.context["open_cases"]} == {lab.case.pk, waiting.pk}
    assert "Awaiting your approval" in html and reverse("cases:create") in html
    assert "Cases by status" not in html


def test_the_dashboard_costs_a_few_queries_whatever_the_lab_size(client, lab, django_assert_max_num_queries):
    make_many_cases(lab, 80)
    for user in (lab.manager, lab.dentist):
        client.force_login(user)
        # 8 + the bell's unread count + traceability alerts (the lab profile: +3 the first time, when
        # it is created); the three "most urgent" lists are one query; a dentist's own scorecard
        # (reports panel): +3 (the practice, the closed days, the one aggregate in its savepoint)
        with django_assert_max_num_queries(17):
            client.get(reverse("home"))

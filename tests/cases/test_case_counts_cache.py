"""Dashboard figures and unfiltered list counts are shared through the cache for a few seconds
(cases/counts.py): one entry for the lab, one per practice, never across practices; filtered
lists and the user's own figures are always counted fresh."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from cases import counts
from cases.models import Status
from tests.case_pages import make_lab
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab(settings):
    settings.CASE_COUNT_CACHE_SECONDS = 5
    cache.clear()
    yield make_lab()
    cache.clear()


def test_an_unfiltered_list_count_is_reused_for_a_few_seconds_then_counted_again(client, lab):
    client.force_login(lab.manager)
    before = client.get(reverse("cases:list")).context["page"].paginator.count
    CaseFactory(dentist=lab.dentist, status=Status.SUBMITTED)
    assert client.get(reverse("cases:list")).context["page"].paginator.count == before
    assert client.get(reverse("cases:list") + "?ordering=due_date&page=1").context["page"].paginator.count == before
    cache.clear()  # what the 5-second expiry does
    assert client.get(reverse("cases:list")).context["page"].paginator.count == before + 1


def test_a_filtered_list_is_always_counted_fresh(client, lab):
    client.force_login(lab.manager)
    url = reverse("cases:list") + f"?status={Status.SUBMITTED}"
    before = client.get(url).context["page"].paginator.count
    CaseFactory(dentist=lab.dentist, status=Status.SUBMITTED)
    assert client.get(url).context["page"].paginator.count == before + 1


def test_the_api_count_is_shared_the_same_way(client, lab):
    client.force_login(lab.technician)
    before = client.get("/api/cases/").json()["count"]
    CaseFactory(dentist=lab.dentist, status=Status.SUBMITTED)
    assert client.get("/api/cases/").json()["count"] == before
    assert client.get(f"/api/cases/?status={Status.SUBMITTED}").json()["count"] >= 1
    cache.clear()
    assert client.get("/api/cases/").json()["count"] == before + 1


def test_a_practice_never_sees_the_lab_or_another_practice_s_counts(client, lab):
    client.force_login(lab.manager)
    lab_count = client.get("/api/cases/").json()["count"]
    client.force_login(lab.other_dentist)
    other_count = client.get("/api/cases/").json()["count"]
    client.force_login(lab.dentist)
    own_count = client.get("/api/cases/").json()["count"]
    assert own_count + other_count == lab_count
    assert own_count != lab_count and own_count > 0
    assert counts.scope(lab.dentist) != counts.scope(lab.other_dentist) != counts.scope(lab.manager)


def test_dashboard_figures_are_shared_by_the_lab_but_my_open_cases_are_my_own(client, lab):
    client.force_login(lab.manager)
    first = client.get(reverse("home")).context["data"]
    CaseFactory(dentist=lab.dentist, status=Status.IN_PRODUCTION, assigned_technician=lab.technician)
    client.force_login(lab.technician)
    data = client.get(reverse("home")).context["data"]
    assert data.counts == first.counts  # the lab's entry, at most 5 s old
    assert data.mine_open == 1  # read fresh
    cache.clear()
    assert (
        client.get(reverse("home")).context["data"].counts[Status.IN_PRODUCTION]
        == first.counts[Status.IN_PRODUCTION] + 1
    )


def test_with_the_cache_off_everything_is_counted_every_time(client, lab, settings):
    settings.CASE_COUNT_CACHE_SECONDS = 0
    client.force_login(lab.manager)
    before = client.get(reverse("cases:list")).context["page"].paginator.count
    CaseFactory(dentist=lab.dentist, status=Status.SUBMITTED)
    assert client.get(reverse("cases:list")).context["page"].paginator.count == before + 1

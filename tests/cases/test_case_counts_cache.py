"""Dashboard figures and unfiltered list counts are shared through the cache for a few seconds
(cases/counts.py): one entry for the lab, one per practice, never across practices; filtered
lists and the user's own figures are always counted fresh."""

import datetime

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from freezegun import freeze_time

from cases import counts
from cases.models import Status
from tests.case_pages import make_lab
from tests.factories import CaseFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab(settings):
    settings.CASE_COUNT_CACHE_SECONDS = 5  # (changing it also drops this process's copies)
    cache.clear()
    yield make_lab()
    cache.clear()


@pytest.fixture
def clock():
    with freeze_time(datetime.datetime(2026, 12, 7, 12, 0, tzinfo=datetime.UTC)) as frozen:
        yield frozen


def _seconds_later(clock, seconds):
    clock.tick(datetime.timedelta(seconds=seconds))


def _cache_reads(queries):
    return [q["sql"] for q in queries if "dentallab_cache" in q["sql"] and q["sql"].lstrip().startswith("SELECT")]


def test_an_unfiltered_list_count_is_reused_for_a_few_seconds_then_counted_again(client, lab, clock):
    client.force_login(lab.manager)
    before = client.get(reverse("cases:list")).context["page"].paginator.count
    CaseFactory(dentist=lab.dentist, status=Status.SUBMITTED)
    _seconds_later(clock, 4)
    assert client.get(reverse("cases:list")).context["page"].paginator.count == before
    assert client.get(reverse("cases:list") + "?ordering=due_date&page=1").context["page"].paginator.count == before
    _seconds_later(clock, 2)
    assert client.get(reverse("cases:list")).context["page"].paginator.count == before + 1


def test_a_process_keeps_its_copy_of_the_shared_entry_until_the_entry_expires_never_longer(client, lab, clock):
    client.force_login(lab.manager)
    before = client.get("/api/cases/").json()["count"]  # counted here; the entry is valid 5 s
    counts._copies.clear()  # another process, which has not read the entry yet
    CaseFactory(dentist=lab.dentist, status=Status.SUBMITTED)

    _seconds_later(clock, 3)
    with CaptureQueriesContext(connection) as first:
        assert client.get("/api/cases/").json()["count"] == before  # the shared entry, 3 s old
    _seconds_later(clock, 1)
    with CaptureQueriesContext(connection) as second:
        assert client.get("/api/cases/").json()["count"] == before  # its copy: no read of the cache
    assert len(_cache_reads(first.captured_queries)) == 1
    assert _cache_reads(second.captured_queries) == []

    _seconds_later(clock, 1.5)  # 5.5 s after it was counted: neither the entry nor the copy is used
    assert client.get("/api/cases/").json()["count"] == before + 1


def test_a_filtered_list_is_always_counted_fresh(client, lab):
    client.force_login(lab.manager)
    url = reverse("cases:list") + f"?status={Status.SUBMITTED}"
    before = client.get(url).context["page"].paginator.count
    CaseFactory(dentist=lab.dentist, status=Status.SUBMITTED)
    assert client.get(url).context["page"].paginator.count == before + 1


def test_the_api_count_is_shared_the_same_way(client, lab, clock):
    client.force_login(lab.technician)
    before = client.get("/api/cases/").json()["count"]
    CaseFactory(dentist=lab.dentist, status=Status.SUBMITTED)
    assert client.get("/api/cases/").json()["count"] == before
    assert client.get(f"/api/cases/?status={Status.SUBMITTED}").json()["count"] >= 1
    _seconds_later(clock, 6)
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


def test_dashboard_figures_are_shared_by_the_lab_but_my_open_cases_are_my_own(client, lab, clock):
    client.force_login(lab.manager)
    first = client.get(reverse("home")).context["data"]
    CaseFactory(dentist=lab.dentist, status=Status.IN_PRODUCTION, assigned_technician=lab.technician)
    client.force_login(lab.technician)
    data = client.get(reverse("home")).context["data"]
    assert data.counts == first.counts  # the lab's entry, at most 5 s old
    assert data.mine_open == 1  # read fresh
    _seconds_later(clock, 6)
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


def test_a_plain_api_page_builds_the_filtered_queryset_only_to_count(client, lab, clock, monkeypatch):
    """Its rows come from a compiled query: the filters' queryset is built for the count (once per
    entry) and for filtered lists, not for every plain page."""
    from cases import selectors

    built = []
    real = selectors.api_case_list
    monkeypatch.setattr(selectors, "api_case_list", lambda *args, **kwargs: built.append(1) or real(*args, **kwargs))
    client.force_login(lab.manager)
    first = client.get("/api/cases/").json()
    assert len(built) == 1  # counted: the entry was empty
    again = client.get("/api/cases/?page=1").json()
    assert len(built) == 1 and again == first
    client.get("/api/cases/?status=submitted")
    assert len(built) == 2  # a filtered page is read through it
    response = client.get("/api/cases/?status=no-such-status")
    assert response.status_code == 400 and "status" in response.json()["errors"]

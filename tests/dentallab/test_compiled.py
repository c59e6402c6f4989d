"""Compiled queries (dentallab/compiled.py): compiled once, run with other values, the same rows
as the ORM — and never another user's rows."""

import datetime
import threading

import pytest
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext, override_settings

from accounts.models import User
from accounts.policy import VisibleQuery
from cases.models import Case
from dentallab.compiled import CompiledQuery
from tests.factories import CaseFactory, CaseItemFactory, DentistFactory, ManagerFactory

pytestmark = pytest.mark.django_db


def _case_query():
    return CompiledQuery(
        lambda variant, pk: Case.objects.select_related("practice", "dentist").prefetch_related("items").filter(pk=pk)
    )


def test_the_same_rows_as_the_orm_for_other_values_with_joins_and_prefetches(django_assert_num_queries):
    first, second = CaseFactory(), CaseFactory()
    CaseItemFactory(case=second)
    query = _case_query()

    assert query.get(first.pk) == first  # compiled here
    expected_items = [item.pk for item in second.items.all()]
    with django_assert_num_queries(2):  # the case with its joins, then the prefetched items
        case = query.get(second.pk)
        assert (case.practice.name, case.dentist.email) == (second.practice.name, second.dentist.email)
        assert [item.pk for item in case.items.all()] == expected_items != []
    orm = Case.objects.select_related("practice", "dentist").get(pk=second.pk)
    assert {name: getattr(case, name) for name in orm.__dict__ if name != "_state"} == {
        name: getattr(orm, name) for name in orm.__dict__ if name != "_state"
    }
    assert len(query._plans) == 1 and None not in query._plans.values()


def test_missing_rows_and_counts():
    case = CaseFactory(status="submitted")
    CaseFactory(status="submitted", practice=case.practice, dentist=case.dentist)
    query = _case_query()
    with pytest.raises(Case.DoesNotExist):
        query.get(case.pk + 1000)
    assert query.first(case.pk + 1000) is None
    by_practice = CompiledQuery(
        lambda variant, practice_id, status: Case.objects.filter(practice=practice_id, status=status)
    )
    assert by_practice.count(case.practice_id, "submitted") == 2
    assert by_practice.count(case.practice_id, "shipped") == 0
    assert by_practice.count(case.practice_id + 1000, "submitted") == 0
    assert None not in by_practice._plans.values()


def test_a_dentist_never_gets_another_practices_rows_from_a_query_compiled_for_a_colleague():
    mine, theirs = CaseFactory(), CaseFactory()
    me, other = mine.dentist, theirs.dentist
    query = VisibleQuery(lambda user, pk: Case.objects.visible_to(user).filter(pk=pk))

    assert query.first(me, mine.pk) == mine
    assert query.first(me, theirs.pk) is None  # the same compiled query, the other case
    assert query.first(other, mine.pk) is None  # another dentist: their practice id is swapped in
    assert query.first(other, theirs.pk) == theirs
    manager = ManagerFactory()
    assert query.first(manager, theirs.pk) == theirs  # the lab: another kind of user, compiled apart
    assert len(query._query._plans) == 2


def test_values_the_orm_transforms_or_that_change_the_sql_are_left_to_the_orm():
    case = CaseFactory(patient_name="Ada Lovelace")
    search = CompiledQuery(lambda variant, text: Case.objects.filter(patient_name__icontains=text))
    assert search.list("lovelace") == [case]
    assert search.list("nobody") == []
    assert list(search._plans.values()) == [None]  # "%lovelace%" is not the value passed in

    by_ids = CompiledQuery(lambda count, *pks: Case.objects.filter(pk__in=pks).order_by("pk"), max_variants=2)
    others = [CaseFactory() for _ in range(3)]
    assert by_ids.list(case.pk, others[0].pk, variant=2) == [case, others[0]]
    assert by_ids.list(*(c.pk for c in others), variant=3) == others
    assert by_ids.list(case.pk, variant=1) == [case]  # past max_variants: the ORM
    assert len(by_ids._plans) == 2


def test_an_integer_out_of_the_columns_range_is_no_row_as_with_the_orm():
    query = _case_query()
    CaseFactory()
    assert query.first(2**40) is None  # an id a URL can carry; sent as such PostgreSQL would refuse it
    assert query.first(-(2**63) - 5) is None


def test_the_check_mode_catches_sql_that_is_not_the_orms():
    case = CaseFactory()
    query = _case_query()
    query.get(case.pk)
    plan = next(iter(query._plans.values()))
    plan.sql = plan.sql.replace("WHERE", "WHERE 1 = 1 AND")
    with override_settings(COMPILED_QUERY_CHECKS=True), pytest.raises(AssertionError, match="differs from the ORM"):
        query.get(case.pk)


@pytest.mark.django_db(transaction=True)
def test_each_thread_runs_it_on_its_own_connection():
    manager = ManagerFactory()
    query = CompiledQuery(lambda variant, pk: User.objects.filter(pk=pk))
    assert query.get(manager.pk) == manager  # compiled on this thread's connection
    seen = {}

    def other_thread():
        try:
            with CaptureQueriesContext(connections["default"]) as queries:
                seen["user"] = query.get(manager.pk)
            seen["queries"] = len(queries)
            seen["connection"] = connections["default"]
        finally:
            connections.close_all()

    with CaptureQueriesContext(connection) as here:
        thread = threading.Thread(target=other_thread)
        thread.start()
        thread.join()
    assert seen["user"] == manager and seen["queries"] == 1
    assert seen["connection"] is not connection and len(here) == 0


def test_dates_and_datetimes_are_values():
    dentist = DentistFactory()
    due = datetime.date(2026, 12, 24)
    case = CaseFactory(dentist=dentist, practice=dentist.practice, due_date=due)
    query = CompiledQuery(lambda variant, day: Case.objects.filter(due_date=day))
    assert query.list(due) == [case]
    assert query.list(due + datetime.timedelta(days=1)) == []
    created = CompiledQuery(lambda variant, moment: Case.objects.filter(created_at__lte=moment))
    assert created.count(case.created_at) == 1
    assert created.count(case.created_at - datetime.timedelta(seconds=1)) == 0
    assert None not in (*query._plans.values(), *created._plans.values())


def test_a_case_id_too_large_for_the_column_is_a_404_on_the_page_and_the_api(client):
    client.force_login(ManagerFactory())
    assert client.get("/cases/99999999999/").status_code == 404
    assert client.get("/api/cases/99999999999/").status_code == 404

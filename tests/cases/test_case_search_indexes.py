"""The case search is backed by a trigram index on PostgreSQL (the migration is a no-op elsewhere)."""

import pytest
from django.db import connection

from cases.selectors import case_list
from tests.factories import CaseFactory, ManagerFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.postgres,
]


def plan(queryset):
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        # A tiny test table would be read whole anyway: leave the planner only bitmap scans, which
        # need an index whose expression matches the condition (on 100,000 cases it picks it
        # itself: see bench/cases.py).
        for method in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{method} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_the_trigram_index_exists():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'case_search_trgm'")
        (definition,) = cursor.fetchone()
    assert "gin_trgm_ops" in definition and "upper(" in definition


def test_the_search_filter_uses_it():
    CaseFactory(patient_name="Jane Smith")
    queryset = case_list(ManagerFactory(), {"search": "smith"})
    assert [case.patient_name for case in queryset] == ["Jane Smith"]
    assert "Bitmap Index Scan on case_search_trgm" in plan(queryset.order_by().values("pk"))

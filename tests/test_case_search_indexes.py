"""The case search is backed by trigram indexes on PostgreSQL (and the migration is harmless elsewhere)."""

import pytest
from django.db import connection

from cases.models import Case

pytestmark = pytest.mark.django_db


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_trigram_indexes_exist_and_match_the_search_expression():
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'cases_case'")
        indexes = dict(cursor.fetchall())
    for name, column in (
        ("case_number_trgm", "number"),
        ("case_patient_trgm", "patient_name"),
        ("case_pan_trgm", "pan_number"),
    ):
        assert name in indexes
        assert f"upper(({column})::text) gin_trgm_ops" in indexes[name]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_planner_uses_them_for_a_search():
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")  # an empty test table would be seq-scanned anyway
        sql, params = Case.objects.filter(patient_name__icontains="smith").query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "case_patient_trgm" in plan, plan

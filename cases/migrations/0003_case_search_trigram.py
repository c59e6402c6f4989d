"""A trigram GIN index for the case search (number, patient name and pan number) on PostgreSQL.

The search filter (cases.filters.CaseSearchText) matches one expression,
UPPER(number || '|' || patient_name || '|' || pan_number) LIKE '%TERM%', and this index is on
exactly that expression. One index over the three columns, rather than one per column, because
PostgreSQL's planner prices a three-way BitmapOr above a sequential scan of 100,000 cases (with
the default random_page_cost) and then spends ~50 ms evaluating UPPER() three times per row;
with the single index a search takes a few ms. A no-op on SQLite (the development database).
"""

from django.db import migrations

INDEX = "case_search_trgm"
EXPRESSION = "UPPER(number || '|' || patient_name || '|' || pan_number)"


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON cases_case USING gin (({EXPRESSION}) gin_trgm_ops)")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

"""Trigram GIN indexes for the case search (number, patient name, pan number) on PostgreSQL.

The search filter uses `icontains`, which Django writes as UPPER(col::text) LIKE UPPER(%term%);
these expression indexes match it exactly, so a substring search is an index scan instead of a
scan of every case. A no-op on SQLite (the embedded development database).
"""

from django.db import migrations

COLUMNS = {"case_number_trgm": "number", "case_patient_trgm": "patient_name", "case_pan_trgm": "pan_number"}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    # pg_trgm is a trusted extension (PostgreSQL 13+): the database owner may create it.
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in COLUMNS.items():
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS {name} ON cases_case USING gin (UPPER("{column}"::text) gin_trgm_ops)'
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in COLUMNS:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("cases", "0002_case_list_indexes")]

    operations = [migrations.RunPython(create, drop, elidable=False)]

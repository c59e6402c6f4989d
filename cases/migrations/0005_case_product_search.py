"""The case search finds product codes and names too (issue 15: "zirconia" found nothing), and
sorting by status follows the lifecycle on an index (case_status_rank over cases.models.STATUS_RANK
and id: a page of 25 in either direction is an index scan, not a sort of every case); due dates
descending with the cases without one last get an index too (case_due_desc).

Case.product_search holds the item lines' "CODE Name" (kept by cases.services._add_items), and
the one trigram GIN index of migration 0003 is rebuilt over the longer expression that
cases.filters.CaseSearchText matches:
UPPER(number || '|' || patient_name || '|' || pan_number || '|' || product_search).
Existing cases are filled in one UPDATE … FROM, with the old index dropped first, then the new
index is built (run by `manage.py predeploy`, without a statement timeout). Trigram and
due-date indexes: PostgreSQL only (SQLite has neither trigrams nor NULLS LAST in an index).
"""

from django.db import migrations, models

INDEX = "case_search_trgm"
# cases.models.Status, in order, as of this migration (a migration never imports the live model).
STATUSES_IN_LIFECYCLE_ORDER = (
    "draft", "submitted", "received", "in_design", "awaiting_approval", "in_production",
    "quality_check", "shipped", "delivered", "on_hold", "cancelled",
)  # fmt: skip
OLD_EXPRESSION = "UPPER(number || '|' || patient_name || '|' || pan_number)"
EXPRESSION = "UPPER(number || '|' || patient_name || '|' || pan_number || '|' || product_search)"


FILL_SQL = (
    "UPDATE cases_case AS c SET product_search = s.text FROM ("
    " SELECT i.case_id, string_agg(DISTINCT p.code || ' ' || p.name, '|') AS text"
    " FROM cases_caseitem i JOIN cases_product p ON p.id = i.product_id GROUP BY i.case_id"
    ") AS s WHERE s.case_id = c.id"
)


def fill(apps, schema_editor):
    Case = apps.get_model("cases", "Case")
    CaseItem = apps.get_model("cases", "CaseItem")
    if schema_editor.connection.vendor == "postgresql":
        # The old index goes first: updating 100,000 rows under a GIN index is what takes long.
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        # Every row is rewritten (with its dozen index entries): longer than the app's statement
        # timeout on a big lab, so none for this transaction (a plain `migrate` too, not only predeploy).
        schema_editor.execute("SET LOCAL statement_timeout = 0")
        schema_editor.execute(FILL_SQL)
        return
    texts = {}
    for case_id, code, name in CaseItem.objects.values_list("case_id", "product__code", "product__name"):
        texts.setdefault(case_id, {})[f"{code} {name}"] = None
    for case_id, parts in texts.items():
        Case.objects.filter(pk=case_id).update(product_search="|".join(parts))


def index(expression):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor != "postgresql":
            return
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")
        schema_editor.execute(f"CREATE INDEX {INDEX} ON cases_case USING gin (({expression}) gin_trgm_ops)")

    return run


DUE_DESC = models.Index(models.F("due_date").desc(nulls_last=True), models.F("id").desc(), name="case_due_desc")


def _on_postgresql(operation):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            operation(apps.get_model("cases", "Case"), schema_editor)

    return run


def add_due_desc(model, schema_editor):
    schema_editor.add_index(model, DUE_DESC)


def remove_due_desc(model, schema_editor):
    schema_editor.remove_index(model, DUE_DESC)


class Migration(migrations.Migration):
    dependencies = [("cases", "0004_case_numbers_from_django_sequences_and_new_fields")]

    operations = [
        migrations.AddField(
            model_name="case",
            name="product_search",
            field=models.TextField(blank=True, db_default="", default="", editable=False),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
        migrations.RunPython(index(EXPRESSION), index(OLD_EXPRESSION), elidable=False),
        migrations.AddIndex(
            model_name="case",
            index=models.Index(
                models.Case(
                    *(
                        models.When(status=value, then=models.Value(rank))
                        for rank, value in enumerate(STATUSES_IN_LIFECYCLE_ORDER)
                    ),
                    default=models.Value(len(STATUSES_IN_LIFECYCLE_ORDER)),
                    output_field=models.IntegerField(),
                ),
                models.F("id"),
                name="case_status_rank",
            ),
        ),
        # SQLite cannot write NULLS LAST in an index (it sorts NULLs last in a descending one anyway),
        # so the index is created on PostgreSQL only; the model state has it everywhere.
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddIndex(model_name="case", index=DUE_DESC)],
            database_operations=[migrations.RunPython(_on_postgresql(add_due_desc), _on_postgresql(remove_due_desc))],
        ),
    ]

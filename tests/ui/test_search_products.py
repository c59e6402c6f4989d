"""The case search finds product names and codes too ("zirconia"), still on the trigram index
(issue 15)."""

import importlib

import pytest
from django.apps import apps
from django.db import connection
from django.urls import reverse

from cases.models import Case
from cases.selectors import case_list
from cases.services import ItemInput, replace_items
from tests.case_pages import make_lab
from tests.cases.test_case_search_indexes import plan
from tests.factories import ProductFactory

pytestmark = pytest.mark.django_db


def _numbers(response):
    return [case.number for case in response.context["cases"]]


def test_searching_a_product_name_or_code_finds_its_cases(client):
    lab = make_lab()  # lab.case has a Zirconia crown (ZC) and an E.max bridge unit (EB)
    client.force_login(lab.manager)
    for term in ("zirconia", "ZIRCONIA CROWN", "e.max", "ZC"):
        assert lab.case.number in _numbers(client.get(reverse("cases:list"), {"search": term})), term
    assert _numbers(client.get(reverse("cases:list"), {"search": "titanium"})) == []


def test_changing_the_items_changes_what_the_search_finds(client):
    lab = make_lab()
    implant = ProductFactory(code="TI", name="Titanium abutment")
    replace_items(case=lab.case, actor=lab.manager, items=[ItemInput(product=implant, teeth=[36])])
    found = list(case_list(lab.manager, {"search": "titanium"}).values_list("number", flat=True))
    assert found == [lab.case.number]
    assert not case_list(lab.manager, {"search": "zirconia crown"}).filter(pk=lab.case.pk).exists()


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")
def test_the_product_search_uses_the_trigram_index():
    lab = make_lab()
    queryset = case_list(lab.manager, {"search": "zirconia"})
    assert "Bitmap Index Scan on case_search_trgm" in plan(queryset.order_by().values("pk"))
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'case_search_trgm'")
        assert "product_search" in cursor.fetchone()[0]


def test_the_migration_fills_existing_cases():
    lab = make_lab()
    Case.objects.update(product_search="")
    migration = importlib.import_module("cases.migrations.0005_case_product_search")
    migration.fill(apps, connection.schema_editor().__class__(connection))
    lab.case.refresh_from_db()
    assert set(lab.case.product_search.split("|")) == {"ZC Zirconia crown", "EB E.max bridge unit"}

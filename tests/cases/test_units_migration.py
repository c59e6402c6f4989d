"""Migration cases 0005: units on the existing price list, open cases' quantities recomputed from
their teeth, finished cases untouched, open cases' ship-by set."""

import datetime
import importlib
from decimal import Decimal

import pytest
from django.apps import apps

from cases.models import CaseItem, Product, Status
from tests.factories import CaseFactory, CaseItemFactory

pytestmark = pytest.mark.django_db
migration = importlib.import_module("cases.migrations.0007_product_units_and_item_quantities")


def test_the_data_migration():
    veneer = Product.objects.create(code="VN", name="Feldspathic veneer", price=Decimal("179.00"), unit="case")
    denture = Product.objects.create(
        code="FD", name="Full denture, acrylic (per arch)", category="removable", price=Decimal("449.00")
    )
    models = Product.objects.create(code="SM", name="Study models (pair)", category="other", price=Decimal("39"))
    open_case = CaseFactory(status=Status.IN_PRODUCTION, due_date=datetime.date(2026, 11, 27), ship_by=None)
    open_case.practice.transit_days = 1
    open_case.practice.save()
    delivered = CaseFactory(status=Status.DELIVERED)
    open_veneers = CaseItemFactory(case=open_case, product=veneer, teeth=[11, 12], quantity=1)
    open_denture = CaseItemFactory(case=open_case, product=denture, teeth=[11, 21, 31], quantity=1)
    open_models = CaseItemFactory(case=open_case, product=models, teeth=[], quantity=2)
    agreed = CaseItemFactory(case=delivered, product=veneer, teeth=[11, 12, 21, 22], quantity=1)

    migration.forwards(apps, None)

    assert dict(Product.objects.values_list("code", "unit")) == {"VN": "tooth", "FD": "arch", "SM": "case"}
    assert CaseItem.objects.get(pk=open_veneers.pk).quantity == 2
    assert CaseItem.objects.get(pk=open_denture.pk).quantity == 2
    assert CaseItem.objects.get(pk=open_models.pk).quantity == 2
    assert CaseItem.objects.get(pk=agreed.pk).quantity == 1  # delivered: what was agreed stays
    open_case.refresh_from_db()
    assert open_case.ship_by == datetime.date(2026, 11, 25)  # Fri 27 less one working day: Thanksgiving skipped

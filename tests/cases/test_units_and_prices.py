"""Billing units (issue 11 item 3): an item's quantity follows its teeth, price = quantity × unit
price, on the page, the API, the CSV and the demo price list alike."""

from decimal import Decimal

import pytest

from cases.models import BillingUnit, Case, ProductCategory
from cases.services import ItemInput, create_case, replace_items
from cases.units import arches_touched, default_unit, item_quantity
from tests.factories import DentistFactory, ManagerFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_the_quantity_rule():
    assert item_quantity(BillingUnit.TOOTH, [11, 12], 1) == 2
    assert item_quantity(BillingUnit.TOOTH, [11, 12], 7) == 2  # the teeth decide, not the number typed
    assert item_quantity(BillingUnit.ARCH, [16, 26], 1) == 1
    assert item_quantity(BillingUnit.ARCH, [16, 36], 1) == 2
    assert item_quantity(BillingUnit.ARCH, [55, 75], 1) == 2  # primary teeth have arches too
    assert item_quantity(BillingUnit.CASE, [11, 12, 13], 1) == 1
    assert item_quantity(BillingUnit.CASE, [11], 3) == 3
    assert item_quantity(BillingUnit.TOOTH, [], 2) == 2
    assert arches_touched([]) == 0


def _veneer():
    return ProductFactory(code="CB-FP-VN", name="Feldspathic veneer", price=Decimal("179.00"), unit=BillingUnit.TOOTH)


def test_a_veneer_on_11_and_12_is_two_veneers():
    dentist = DentistFactory()
    case = create_case(
        actor=dentist,
        practice=dentist.practice,
        dentist=dentist,
        patient_name="Chart 1",
        items=[ItemInput(product=_veneer(), teeth=[11, 12])],
    )
    item = case.items.get()
    assert (item.quantity, item.unit_price, item.line_total) == (2, Decimal("179.00"), Decimal("358.00"))


def test_the_api_prices_the_veneers_per_tooth(client):
    dentist = DentistFactory()
    veneer = _veneer()
    client.force_login(dentist)
    response = client.post(
        "/api/cases/",
        {"patient_name": "Chart 2", "items": [{"product": veneer.pk, "teeth": [11, 12], "quantity": 1}]},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["items"][0]["quantity"] == 2
    assert body["total"] == "358.00"
    product = client.get("/api/products/").json()["results"][0]
    assert product["unit"] == "tooth"


def test_per_arch_and_per_case_products():
    dentist = DentistFactory()
    guard = ProductFactory(name="Night guard", category=ProductCategory.ORTHODONTIC, unit=BillingUnit.ARCH)
    models = ProductFactory(name="Study models (pair)", category=ProductCategory.OTHER, unit=BillingUnit.CASE)
    case = create_case(
        actor=dentist,
        practice=dentist.practice,
        dentist=dentist,
        patient_name="Chart 3",
        items=[
            ItemInput(product=guard, teeth=[16, 15, 14, 13, 12, 11, 21, 22, 23, 24, 25, 26]),
            ItemInput(product=models, teeth=[16, 36], quantity=2),
        ],
    )
    assert [item.quantity for item in case.items.order_by("id")] == [1, 2]


def test_editing_the_teeth_recomputes_the_quantity():
    dentist = DentistFactory()
    veneer = _veneer()
    case = create_case(
        actor=dentist,
        practice=dentist.practice,
        dentist=dentist,
        patient_name="Chart 4",
        items=[ItemInput(product=veneer, teeth=[11])],
    )
    replace_items(case=case, actor=ManagerFactory(), items=[ItemInput(product=veneer, teeth=[11, 12, 21])])
    assert case.items.get().quantity == 3


def test_default_units_of_the_price_list():
    assert default_unit(ProductCategory.CROWN_BRIDGE, "IPS e.max veneer") == BillingUnit.TOOTH
    assert default_unit(ProductCategory.REMOVABLE, "Full denture, acrylic (per arch)") == BillingUnit.ARCH
    assert default_unit(ProductCategory.REMOVABLE, "Denture repair") == BillingUnit.CASE
    assert default_unit(ProductCategory.ORTHODONTIC, "Essix retainer") == BillingUnit.ARCH
    assert default_unit(ProductCategory.OTHER, "Diagnostic wax-up (per tooth)") == BillingUnit.TOOTH
    assert default_unit(ProductCategory.OTHER, "Study models (pair)") == BillingUnit.CASE


def test_the_demo_four_veneer_case_is_priced_per_veneer(settings):
    from django.core.management import call_command

    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    case = Case.objects.get(patient_name="Chart 10162")
    item = case.items.get()
    assert item.product.unit == BillingUnit.TOOTH
    assert item.quantity == 4
    assert item.line_total == 4 * item.unit_price == Decimal("596.00")

"""/prices/products/new/: managers add a product to the price list (code unique, price and
turnaround not negative), with errors next to the fields, and each value in the price history."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from billing.exceptions import BillingInputError
from billing.models import PriceChange
from billing.services import create_product
from cases.models import Product
from tests.factories import DentistFactory, ManagerFactory, ProductFactory, TechnicianFactory

pytestmark = pytest.mark.django_db
URL = reverse("billing:product_new")


def _data(**changes):
    data = {
        "code": "NG-01",
        "name": "Night guard",
        "category": "removable",
        "unit": "arch",
        "price": "45.50",
        "turnaround_days": "0",
        "active": "on",
    }
    data.update(changes)
    return {key: value for key, value in data.items() if value is not None}


def _field_errors(response, field):
    return response.context["form"].errors.get(field, [])


def test_a_manager_adds_a_product_and_it_is_in_the_history(client):
    manager = ManagerFactory()
    client.force_login(manager)
    page = client.get(reverse("billing:prices")).content.decode()
    assert URL in page  # the "Add a product" button
    assert client.get(URL).status_code == 200
    response = client.post(URL, _data())
    assert response.status_code == 302 and response["Location"] == reverse("billing:prices")
    product = Product.objects.get(code="NG-01")
    assert (product.name, product.category, product.unit) == ("Night guard", "removable", "arch")
    assert product.price == Decimal("45.50") and product.turnaround_days == 0 and product.active
    logged = {c.field: (c.old_value, c.new_value) for c in PriceChange.objects.filter(product=product)}
    assert logged["price"] == ("", "45.50") and logged["name"] == ("", "Night guard")
    assert set(logged) == {"price", "unit", "turnaround_days", "active", "name", "category"}
    assert all(c.changed_by == manager for c in PriceChange.objects.filter(product=product))
    html = client.get(reverse("billing:prices")).content.decode()
    assert "NG-01" in html and "— → 45.50" in html


def test_an_inactive_free_product_is_allowed(client):
    client.force_login(ManagerFactory())
    response = client.post(URL, _data(code="FREE", price="0", active=None))
    assert response.status_code == 302
    product = Product.objects.get(code="FREE")
    assert product.price == Decimal("0.00") and not product.active


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"code": "p-dup"}, "code", "already exists"),  # codes are unique whatever their case
        ({"code": ""}, "code", "required"),
        ({"name": ""}, "name", "required"),
        ({"price": "-1"}, "price", "more than zero"),
        ({"price": "12.345"}, "price", "two decimals"),
        ({"price": "abc"}, "price", "125.50"),
        ({"turnaround_days": "-1"}, "turnaround_days", "greater than or equal to 0"),
        ({"category": "gold"}, "category", "valid choice"),
        ({"unit": "box"}, "unit", "valid choice"),
    ],
)
def test_bad_input_is_refused_next_to_its_field_and_nothing_is_saved(client, changes, field, text):
    ProductFactory(code="P-DUP")
    client.force_login(ManagerFactory())
    before = (Product.objects.count(), PriceChange.objects.count())
    response = client.post(URL, _data(**changes))
    assert response.status_code == 400
    assert any(text in error for error in _field_errors(response, field)), response.context["form"].errors
    assert (Product.objects.count(), PriceChange.objects.count()) == before


def test_the_service_refuses_a_duplicate_code_and_a_non_manager():
    manager = ManagerFactory()
    ProductFactory(code="ZR-1")
    with pytest.raises(BillingInputError) as refused:
        create_product(
            actor=manager, code="zr-1", name="X", category="other", unit="case", price="1", turnaround_days=1
        )
    assert refused.value.field == "code"
    technician = TechnicianFactory()
    with pytest.raises(PermissionDenied):
        create_product(
            actor=technician, code="ZR-2", name="X", category="other", unit="case", price="1", turnaround_days=1
        )
    assert not Product.objects.filter(code="ZR-2").exists()


@pytest.mark.parametrize("make_user", [TechnicianFactory, DentistFactory])
def test_others_are_refused(client, make_user):
    client.force_login(make_user())
    assert client.get(URL).status_code == 403
    assert client.post(URL, _data()).status_code == 403
    assert not Product.objects.filter(code="NG-01").exists()

"""Django admin for the cases app: admins manage the price list; cases and their timeline are
read-only there (writes go through cases.services); nobody else gets in."""

from decimal import Decimal

import pytest

from cases.models import Product
from tests.factories import AdminFactory, CaseFactory, CaseItemFactory, ManagerFactory, ProductFactory

pytestmark = pytest.mark.django_db


def test_an_admin_edits_a_products_price_in_django_admin(client):
    product = ProductFactory(price=Decimal("100.00"))
    client.force_login(AdminFactory())
    page = client.get(f"/admin/cases/product/{product.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {name: form[name].value() for name in form.fields}
    data.update(price="125.50", active="on")
    response = client.post(f"/admin/cases/product/{product.pk}/change/", data)
    assert response.status_code == 302
    assert Product.objects.get(pk=product.pk).price == Decimal("125.50")


def test_an_admin_reads_cases_but_cannot_change_or_delete_them(client):
    case = CaseFactory()
    CaseItemFactory(case=case)
    client.force_login(AdminFactory())
    assert client.get("/admin/cases/case/").status_code == 200
    assert client.get(f"/admin/cases/case/{case.pk}/change/").status_code == 200
    assert client.post(f"/admin/cases/case/{case.pk}/change/", {"status": "cancelled"}).status_code == 403
    assert client.post(f"/admin/cases/case/{case.pk}/delete/", {"post": "yes"}).status_code == 403
    case.refresh_from_db()
    assert case.status != "cancelled"
    assert client.get("/admin/cases/timelineevent/").status_code == 200


@pytest.mark.parametrize("path", ["/admin/cases/product/", "/admin/cases/case/", "/admin/cases/timelineevent/"])
def test_a_manager_is_kept_out_of_the_cases_admin(client, path):
    client.force_login(ManagerFactory())
    response = client.get(path)
    assert response.status_code in (302, 403)
    assert "/admin/login/" in response.get("Location", "") or response.status_code == 403

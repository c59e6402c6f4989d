"""Issue 13 leftovers in Chromium: a manager adds a product to the price list from /prices/, is
told next to the field that its code is taken, fixes it, and sees it in the list and history; at
1280 and 390 px."""

import pytest

from tests.factories import TEST_PASSWORD, ManagerFactory, ProductFactory
from tests.fixtures.browser import screenshot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_manager_adds_a_product_to_the_price_list(page):
    ProductFactory(code="ZR-CROWN", name="Zirconia crown")
    sign_in(page, ManagerFactory().email, TEST_PASSWORD)
    page.goto("/prices/")
    page.get_by_role("link", name="Add a product").click()
    page.get_by_label("Code").fill("zr-crown")
    page.get_by_label("Name").fill("Night guard")
    page.get_by_label("Category").select_option("removable")
    page.get_by_label("Unit").select_option("arch")
    page.get_by_label("Price").fill("45.50")
    page.get_by_label("Turnaround (working days)").fill("0")
    page.get_by_role("button", name="Add product").click()
    page.get_by_text("A product with the code zr-crown already exists.").wait_for()
    screenshot(page, "prices-new-product-error", heading="New product")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "prices-new-product-390", heading="New product")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_label("Code").fill("NG-01")
    page.get_by_role("button", name="Add product").click()
    page.get_by_text("NG-01 added to the price list.").wait_for()
    assert page.get_by_role("cell", name="Night guard", exact=True).count() == 1
    screenshot(page, "prices-after-new-product", heading="Price list")

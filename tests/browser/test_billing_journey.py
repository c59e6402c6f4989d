"""Issue 13 in Chromium: a manager records a cheque against an invoice and credits another, the
dentist sees the balance and the statement and downloads the invoice PDF; at 1280 and 390 px."""

import datetime
from decimal import Decimal

import pytest

from tests.billing.helpers import shipped_case
from tests.factories import TEST_PASSWORD, DentistFactory, ManagerFactory, PracticeFactory
from tests.fixtures.browser import screenshot, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def test_a_manager_records_a_payment_and_the_dentist_sees_the_balance(page):
    practice = PracticeFactory(name="Bright Smile Dental")
    dentist = DentistFactory(practice=practice)
    manager = ManagerFactory()
    first = shipped_case(dentist=dentist, prices=(Decimal("129.00"),)).invoice
    second = shipped_case(dentist=dentist, prices=(Decimal("89.50"),)).invoice

    sign_in(page, manager.email, TEST_PASSWORD)
    page.goto(f"/billing/invoices/{first.pk}/")
    page.get_by_role("link", name="Record a payment on this invoice").click()
    page.get_by_label("Amount").fill("129.00")
    page.get_by_label("Reference").fill("CHQ 5521")
    page.get_by_role("button", name="Record payment").click()
    page.get_by_text("Payment of 129.00 USD recorded.").wait_for()
    page.goto(f"/billing/invoices/{second.pk}/")
    page.get_by_label("Amount").fill("200")
    page.locator("#id_reason").fill("Shade")
    page.get_by_role("button", name="Issue credit note").click()
    page.get_by_text("can still be credited").wait_for()
    page.get_by_label("Amount").fill("9.50")
    page.get_by_role("button", name="Issue credit note").click()
    page.get_by_text("Credit note CN-").wait_for()
    assert page.get_by_test_id("invoice-balance").inner_text() == "80.00 USD"
    page.get_by_role("button", name="Sign out").click()

    sign_in(page, dentist.email, TEST_PASSWORD)
    page.goto("/billing/")
    assert page.get_by_test_id("balance").inner_text() == "80.00 USD"
    screenshot(page, "billing-dentist")
    page.goto(f"/billing/statement/?month={datetime.date.today():%Y-%m}")
    assert page.get_by_test_id("closing").inner_text() == "80.00 USD"
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "billing-statement-390")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.goto(f"/billing/invoices/{first.pk}/")
    with page.expect_download() as download:
        page.get_by_role("link", name="Download PDF").click()
    assert download.value.path().read_bytes().startswith(b"%PDF")

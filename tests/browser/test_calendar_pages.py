"""The working calendar in the browser: the new-case form suggests the due date with the chosen
practice's transit days and says the ship-by date; a manager closes the lab for a day on
/calendar/ and sees it listed. Screenshots at 1280 and 390 px."""

import datetime
import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cases.models import Product
from cases.services import schedule
from tests.factories import TEST_PASSWORD, DentistFactory, ManagerFactory, PracticeFactory, ProductFactory
from tests.fixtures.browser import open_menu, screenshot, sign_in
from workcalendar.calendar import add_working_days, lab_today
from workcalendar.models import ClosedDay


@pytest.fixture
def lab(transactional_db):
    practice = PracticeFactory(name="Harbour Dental", transit_days=2)
    DentistFactory(practice=practice, name="Dr. Ada Smith")
    ProductFactory(code="ZC", name="Zirconia crown", price=Decimal("120.00"), turnaround_days=5)
    return {"practice": practice, "manager": ManagerFactory(name="Morgan Manager")}


def test_the_new_case_form_suggests_due_date_and_ship_by(page, lab):
    sign_in(page, lab["manager"].email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/cases/new/")
    page.locator("[data-practice-select]").select_option(label="Harbour Dental")
    page.locator("select[name='items-0-product']").select_option(label="Zirconia crown (ZC)")
    due, ship_by = schedule([Product.objects.get(code="ZC")], lab["practice"])
    expect(page.get_by_label("Due date")).to_have_value(due.isoformat())
    box = page.locator("[data-due-suggestion]")
    expect(box).to_contain_text("+ 2 in transit")
    expect(box).to_contain_text(re.compile(r"ships by \w{3} " + str(ship_by.day) + r" "))
    screenshot(page, "calendar-new-case-ship-by")


@pytest.mark.parametrize("width", [1280, 390])
def test_a_manager_closes_the_lab_for_a_day(page, lab, width):
    page.set_viewport_size({"width": width, "height": 860})
    day = add_working_days(lab_today() + datetime.timedelta(days=14), 0)
    sign_in(page, lab["manager"].email, TEST_PASSWORD)
    page.wait_for_url("**/")
    open_menu(page)
    page.get_by_role("link", name="Calendar").first.click()
    page.wait_for_url("**/calendar/")
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Reason").fill("Stocktaking")
    page.get_by_role("button", name="Close the lab on this day").click()
    expect(page.get_by_role("alert").first).to_contain_text("The lab is closed on")
    expect(page.get_by_test_id("days-off")).to_contain_text("Stocktaking")
    assert ClosedDay.objects.get().date == day
    screenshot(page, f"calendar-page-{width}")

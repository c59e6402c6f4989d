"""The header on a phone (issue 15): links and the user box fold into an accessible Menu button,
the bell stays in the bar, the name never wraps letter by letter, Sign out is reachable; a skip
link leads keyboard users past the navigation; list tables become labelled cards."""

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, CaseFactory, ManagerFactory
from tests.fixtures.browser import sign_in


@pytest.fixture
def manager(transactional_db):
    CaseFactory(patient_name="Chart 4711")
    return ManagerFactory(name="Maximiliana Featherstonehaugh-Worthington")


def test_the_menu_folds_and_opens_on_a_phone(page, manager):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, manager.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    expect(page.get_by_test_id("bell")).to_be_visible()
    toggle = page.get_by_role("button", name="Menu")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("button", name="Sign out")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_in_viewport()
    name = page.get_by_test_id("user-name")
    assert name.bounding_box()["height"] < 30, "the user's name wraps"
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    page.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()


def test_the_skip_link_leads_past_the_navigation(page, manager):
    sign_in(page, manager.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_be_focused()


def test_the_case_list_is_cards_with_labels_on_a_phone(page, manager):
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, manager.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/cases/")
    cell = page.locator("table.table-stack td[data-label='Patient']").first
    expect(cell).to_contain_text("Chart 4711")
    label = cell.evaluate("(el) => getComputedStyle(el, '::before').content")
    assert label == '"Patient"'
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")

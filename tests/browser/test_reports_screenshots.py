"""The reports page (manager) at laptop and phone width, and a dentist's scorecard on the
dashboard: screenshots under test-artifacts/ to look at; no sideways scrolling at 390 px."""

import pytest

from tests.factories import TEST_PASSWORD, ManagerFactory
from tests.fixtures.browser import screenshot, sign_in
from tests.reports.helpers import build_busy_weeks


@pytest.fixture
def lab(transactional_db):
    return {"manager": ManagerFactory(), **build_busy_weeks()}


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_reports_page_reads_at_laptop_and_phone_width(page, lab):
    sign_in(page, lab["manager"].email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/reports/")
    assert page.locator("svg.report-chart").count() == 7
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "reports-manager-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "reports-manager-390")
    _no_sideways_scroll(page)


def test_a_dentist_sees_their_scorecard_on_the_dashboard(page, lab):
    dentist = lab["dentists"][0]
    sign_in(page, dentist.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    panel = page.get_by_test_id("own-scorecard")
    assert "Bright Smile Dental" in panel.inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "reports-dentist-dashboard-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "reports-dentist-dashboard-390")
    _no_sideways_scroll(page)

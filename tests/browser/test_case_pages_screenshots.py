"""Every case page, per role, at desktop (1280) and tablet (820) width: screenshots under
test-artifacts/ to look at, and no JavaScript errors on any of them."""

import pytest

from cases.models import Status
from tests.case_pages import make_lab, make_many_cases, move
from tests.factories import TEST_PASSWORD
from tests.fixtures.browser import screenshot, sign_in

WIDTHS = {"desktop": 1280, "tablet": 820}


@pytest.fixture
def lab(transactional_db):
    lab = make_lab()
    make_many_cases(lab, 40)
    move(lab.case, lab.technician, Status.RECEIVED, Status.IN_DESIGN)
    lab.case.refresh_from_db()
    return lab


def _shoot(page, name):
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"cases-{name}-{label}")


def test_the_lab_pages_render_at_desktop_and_tablet_width(page, lab):
    sign_in(page, lab.manager.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    _shoot(page, "dashboard-lab")
    page.goto("/cases/")
    _shoot(page, "list-lab")
    page.goto("/cases/?status=in_production&status=received&late=true&ordering=-due_date")
    _shoot(page, "list-lab-filtered")
    page.goto("/cases/?due_after=notadate")
    _shoot(page, "list-lab-invalid-filter")
    page.goto(f"/cases/{lab.case.pk}/")
    _shoot(page, "detail-lab")
    page.goto(f"/cases/{lab.case.pk}/ticket/")
    _shoot(page, "ticket-a5")
    page.goto(f"/cases/{lab.case.pk}/ticket/?paper=letter")
    _shoot(page, "ticket-letter")
    page.emulate_media(media="print")
    screenshot(page, "cases-ticket-letter-print")
    page.goto(f"/cases/{lab.case.pk}/ticket/")
    screenshot(page, "cases-ticket-a5-print")
    page.emulate_media(media="screen")
    page.goto("/cases/new/")
    _shoot(page, "new-lab")
    page.get_by_role("button", name="Save draft").click()
    _shoot(page, "new-lab-errors")
    page.goto(f"/cases/{lab.case.pk}/edit/")
    _shoot(page, "edit-lab")


def test_the_dentist_pages_render_at_desktop_and_tablet_width(page, lab):
    sign_in(page, lab.dentist.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    _shoot(page, "dashboard-dentist")
    page.goto("/cases/")
    _shoot(page, "list-dentist")
    page.goto(f"/cases/{lab.case.pk}/")
    _shoot(page, "detail-dentist")
    page.goto("/cases/new/")
    page.locator("[data-tooth='11']").click()
    page.locator("[data-tooth='21']").click()
    _shoot(page, "new-dentist")

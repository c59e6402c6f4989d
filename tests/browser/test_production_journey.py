"""Issue 11's floor journey in Chromium: a case is received → the technician's bench shows its
first step → at the scan station, keyboard only, every step is started and finished (the case
moves to quality check on its own) → the QC checklist is ticked on the case page → shipped.
Screenshots of the board, bench, load view and scan station at 1280 and 390 px."""

import pytest

from cases.models import Case, Status
from cases.services import transition_case
from production.models import QCItem
from tests.factories import TEST_PASSWORD, CaseFactory, CaseItemFactory, ManagerFactory, TechnicianFactory
from tests.fixtures.browser import screenshot, sign_in
from tests.production.helpers import floor, received_case

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def scan(page, code):
    """Type like a keyboard-wedge scanner: into whatever has focus, then Enter."""
    # The page focuses the code field itself (autofocus): wait for it, as a scanner's user would.
    page.wait_for_function("document.activeElement && document.activeElement.name === 'code'", timeout=10_000)
    page.keyboard.type(code)
    with page.expect_navigation():
        page.keyboard.press("Enter")
    return page.get_by_test_id("scan-result").inner_text()


def test_receive_bench_scan_every_step_qc_and_ship(page):
    from shipping.models import Courier

    technician, manager = TechnicianFactory(), ManagerFactory()
    Courier.objects.create(name="Lab driver", is_lab_driver=True)
    f = floor(technician=technician)
    for label in ("Margins", "Contacts", "Cleaning and disinfection"):
        QCItem.objects.create(category="crown_bridge", label=label)
    case = CaseFactory(status=Status.SUBMITTED, patient_name="JD-2001")
    CaseItemFactory(case=case, product=f["product"], teeth=[21])
    case = transition_case(case=case, to=Status.RECEIVED, actor=manager)

    sign_in(page, technician.email, TEST_PASSWORD)
    page.goto("/bench/")
    ready = page.get_by_test_id("bench-ready")
    assert case.number in ready.inner_text() and "Models" in ready.inner_text()

    page.goto("/scan/")
    for name in ("Models", "CAD design", "Milling"):
        assert f"Started {name} on {case.number}" in scan(page, case.number)
        assert f"Finished {name} on {case.number}" in scan(page, f"http://lab.test/cases/{case.pk}/")
    assert Case.objects.get(pk=case.pk).status == Status.QUALITY_CHECK
    assert "No case matches that code." in scan(page, "2026-99999")

    page.goto(f"/cases/{case.pk}/")
    form = page.get_by_test_id("qc-form")
    for label in ("Margins", "Contacts", "Cleaning and disinfection"):
        form.get_by_label(label).check()
    form.get_by_role("button", name="Tick QC items").click()
    page.get_by_text("3 QC items ticked.").wait_for()
    page.get_by_role("link", name="Mark shipped").click()  # the shipping app's form
    page.get_by_label(f"{case.number} · JD-2001").check()
    page.get_by_role("button", name="Ship").click()
    page.get_by_text(f"Shipped 1 case ({case.number}) with Lab driver.").wait_for()
    assert Case.objects.get(pk=case.pk).status == Status.SHIPPED


def test_floor_pages_at_laptop_and_phone_width(page):
    technician = TechnicianFactory(name="Taylor Technician")
    f = floor(technician=technician, capacities=(6, 3, 4))
    cases = [received_case(f["product"], teeth=[11, 21], quantity=2) for _ in range(5)]
    Case.objects.filter(pk=cases[0].pk).update(ship_by="2026-01-05")
    from production import services

    services.start_step(step=cases[1].steps.get(position=1), actor=technician)
    sign_in(page, technician.email, TEST_PASSWORD)
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 860})
        for path, name in (("/production/", "board"), ("/bench/", "bench"), ("/production/load/", "load")):
            page.goto(path)
            screenshot(page, f"production-{name}-{width}")
        page.goto("/scan/")
        scan(page, cases[2].number)
        screenshot(page, f"production-scan-{width}")

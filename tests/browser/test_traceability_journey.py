"""Issue 14's journey in Chromium: a manager adds a lot by typing a GS1 string → a technician
records it on a crown → QC passes (the case moves to shipped) → the dentist downloads the statement
of manufacture and it names that lot. Screenshots of the lot form, the case panel (and at 390 px)."""

import pytest

from accounts.models import LabProfile
from cases.models import Status
from shipping.models import Courier
from tests.factories import TEST_PASSWORD, DentistFactory, ManagerFactory, MaterialFactory, TechnicianFactory
from tests.fixtures.browser import screenshot, sign_in
from tests.traceability.helpers import pdf_text, traceable_case

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.browser]


def sign_out(page):
    page.get_by_role("button", name="Sign out").click()


def test_a_gs1_lot_goes_onto_a_crown_and_into_the_dentists_statement(page):
    profile = LabProfile.current()
    profile.legal_name, profile.address, profile.manufacturing_sites = "Acme Dental Lab Ltd", "1 High St", "1 High St"
    profile.responsible_person, profile.eu_srn = "A. Person", "IE-MF-000001"
    profile.save()
    manager, technician = ManagerFactory(), TechnicianFactory()
    MaterialFactory(name="Zirconia disc 3Y", gtin="04012345000016")
    Courier.objects.create(name="UPS", tracking_url_template="https://www.ups.com/track?tracknum={tracking}")
    case, item = traceable_case(Status.QUALITY_CHECK, patient_name="JD-1042")
    dentist = DentistFactory(practice=case.practice)

    # 1. The manager types the GS1 string from the box and reads it into the lot form.
    sign_in(page, manager.email, TEST_PASSWORD)
    page.goto("/traceability/lots/new/")
    page.get_by_label("Scan or type the GS1 barcode").fill("(01)04012345000016(10)ZR-2410-A(17)301231")
    page.get_by_role("button", name="Read barcode").click()
    assert page.get_by_label("Lot number").input_value() == "ZR-2410-A"
    assert page.get_by_label("Expiry date").input_value() == "2030-12-31"
    screenshot(page, "traceability-lot-form-scanned")
    page.get_by_role("button", name="Add lot").click()
    page.get_by_role("heading", name="Lot ZR-2410-A").wait_for()
    sign_out(page)

    # 2. The technician records it on the crown, then passes QC.
    sign_in(page, technician.email, TEST_PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    page.get_by_label("Item", exact=True).select_option(str(item.pk))
    page.get_by_label("Lot", exact=True).select_option(label="Zirconia disc 3Y · ZR-2410-A (exp. 2030-12-31)")
    page.get_by_role("button", name="Record lot").click()
    page.get_by_text("Lot ZR-2410-A of Zirconia disc 3Y recorded.").wait_for()
    screenshot(page, "traceability-case-panel")
    page.get_by_role("link", name="Mark shipped…").click()
    page.get_by_label("Tracking number").fill("1Z999AA10123456784")
    page.get_by_role("button", name="Ship", exact=True).click()
    page.get_by_text(f"Shipped 1 case ({case.number}) with UPS.").wait_for()
    sign_out(page)

    # 3. The dentist downloads the statement; it names the lot.
    sign_in(page, dentist.email, TEST_PASSWORD)
    page.goto(f"/cases/{case.pk}/")
    with page.expect_download() as download_info:
        page.get_by_test_id("statement-download").click()
    path = download_info.value.path()
    text = pdf_text(path.read_bytes())
    assert "ZR-2410-A" in text and "Zirconia disc 3Y" in text and "JD-1042" in text
    page.set_viewport_size({"width": 390, "height": 844})
    page.reload()
    # The statement panel itself fits (the case page as a whole is being made responsive elsewhere).
    fits = "(() => { const s = document.querySelector('#statement'); return s.scrollWidth <= s.clientWidth; })()"
    assert page.evaluate(fits)
    screenshot(page, "traceability-case-dentist-390")

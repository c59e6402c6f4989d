"""Every case page, per role, at desktop (1280) and tablet (820) width: screenshots under
test-artifacts/ to look at, no JavaScript errors on any of them, and before each screenshot what a
person would see (tests/fixtures/browser.py: the page's heading, visible and sized, and nothing wider
than the window)."""

import re

import pytest
from django.core.management import call_command

from cases.models import Case, Status
from tests.case_pages import make_lab, make_many_cases, move
from tests.factories import TEST_PASSWORD
from tests.fixtures.browser import open_menu, screenshot, sign_in

WIDTHS = {"desktop": 1280, "tablet": 820}


@pytest.fixture
def lab(transactional_db):
    lab = make_lab()
    make_many_cases(lab, 40)
    move(lab.case, lab.technician, Status.RECEIVED, Status.IN_DESIGN)
    lab.case.refresh_from_db()
    return lab


def _shoot(page, name, heading=None):
    for label, width in WIDTHS.items():
        page.set_viewport_size({"width": width, "height": 900})
        screenshot(page, f"cases-{name}-{label}", heading=heading)


def test_the_lab_pages_render_at_desktop_and_tablet_width(page, lab):
    sign_in(page, lab.manager.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    _shoot(page, "dashboard-lab", "Lab dashboard")
    page.goto("/cases/")
    _shoot(page, "list-lab", "Cases")
    page.locator(".status-picker summary").click()
    page.get_by_label("In production").check()
    page.get_by_label("Quality check").check()
    assert page.locator(".status-picker summary").inner_text() == "2 selected"
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "cases-list-lab-status-picker")
    page.get_by_role("button", name="Filter").click()
    assert page.locator(".case-table tbody .status-badge").first.inner_text() in ("In production", "Quality check")
    page.goto("/cases/?status=in_production&status=received&late=true&ordering=-due_date")
    _shoot(page, "list-lab-filtered", "Cases")
    page.goto("/cases/?due_after=notadate")
    _shoot(page, "list-lab-invalid-filter")
    page.goto(f"/cases/{lab.case.pk}/")
    _shoot(page, "detail-lab", lab.case.number)
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
    _shoot(page, "new-lab", "New case")
    page.get_by_role("button", name="Save draft").click()
    _shoot(page, "new-lab-errors")
    page.goto(f"/cases/{lab.case.pk}/edit/")
    _shoot(page, "edit-lab", f"Edit case {lab.case.number}")


def test_the_dentist_pages_render_at_desktop_and_tablet_width(page, lab):
    sign_in(page, lab.dentist.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    _shoot(page, "dashboard-dentist", lab.practice.name)
    page.goto("/cases/")
    _shoot(page, "list-dentist", "Cases")
    page.goto(f"/cases/{lab.case.pk}/")
    _shoot(page, "detail-dentist", lab.case.number)
    page.goto("/cases/new/")
    page.locator("[data-tooth='11']").click()
    page.locator("[data-tooth='21']").click()
    for tooth in ("11", "21"):  # the picked teeth show as picked, at a size a finger can hit
        picked = page.locator(f"[data-tooth='{tooth}']")
        assert picked.get_attribute("aria-pressed") == "true"
        box = picked.bounding_box()
        assert box["width"] >= 16 and box["height"] >= 16
    _shoot(page, "new-dentist", "New case")


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False


def test_the_pages_render_with_the_demo_data(page, demo):
    sign_in(page, "tech@demo.dentallab.test", "dentallab-demo")
    page.wait_for_url("**/")
    _shoot(page, "demo-dashboard-technician", "Lab dashboard")
    page.goto("/cases/?ordering=due_date")
    _shoot(page, "demo-list-technician")
    remake = Case.objects.filter(remake_of__isnull=False).first()
    page.goto(f"/cases/{remake.pk}/")
    _shoot(page, "demo-detail-remake", remake.number)
    page.goto(f"/cases/{remake.remake_of_id}/")
    _shoot(page, "demo-detail-original")
    page.goto("/cases/new/")
    page.locator("select[name='items-0-product']").select_option(index=15)
    page.locator("[data-tooth='46']").click()
    _shoot(page, "demo-new-technician")
    open_menu(page)
    page.get_by_role("button", name="Sign out").click()
    sign_in(page, "dr.smith@brightsmile.test", "dentallab-demo")
    page.wait_for_url("**/")
    _shoot(page, "demo-dashboard-dentist")
    waiting = Case.objects.filter(status=Status.AWAITING_APPROVAL, practice__name="Bright Smile Dental").first()
    if waiting:
        page.goto(f"/cases/{waiting.pk}/")
        page.get_by_text("Request changes…").click()
        _shoot(page, "demo-detail-approval-dentist")


def test_the_ticket_fits_a_phone(page, lab):
    """The paper sheet narrows with the screen: no sideways scrolling at 390 px (A5 and letter)."""
    sign_in(page, lab.technician.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.set_viewport_size({"width": 390, "height": 844})
    for paper in ("a5", "letter"):
        page.goto(f"/cases/{lab.case.pk}/ticket/?paper={paper}")
        assert page.locator(".ticket-number").inner_text() == lab.case.number
        assert page.locator(".ticket").bounding_box()["width"] <= 390
        screenshot(page, f"cases-ticket-{paper}-phone")


def _pdf_page_size(pdf: bytes) -> tuple[int, int]:
    match = re.search(rb"/MediaBox\s*\[\s*0\s+0\s+([\d.]+)\s+([\d.]+)\s*\]", pdf)
    return round(float(match.group(1))), round(float(match.group(2)))


def test_the_ticket_prints_on_a5_or_letter(page, lab):
    """Chromium's own print-to-PDF honours the ticket's @page rules."""
    sign_in(page, lab.technician.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{lab.case.pk}/ticket/")
    pdf = page.pdf(prefer_css_page_size=True, print_background=True)
    assert _pdf_page_size(pdf) == (420, 595)  # A5 in points
    assert len(re.findall(rb"/Type\s*/Page[^s]", pdf)) == 1  # one sheet
    page.goto(f"/cases/{lab.case.pk}/ticket/?paper=letter")
    assert _pdf_page_size(page.pdf(prefer_css_page_size=True)) == (612, 792)  # US letter


def test_a_lab_user_sees_only_the_chosen_practices_dentists(page, lab):
    sign_in(page, lab.manager.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/cases/new/")
    page.get_by_label("Practice").select_option(label=lab.practice.name)
    dentist = page.locator("select[name='dentist']")
    # The only dentist of that practice is chosen for the user; the other practice's is hidden.
    assert dentist.input_value() == str(lab.dentist.pk)
    assert page.locator(f"select[name='dentist'] option[value='{lab.other_dentist.pk}']").is_disabled()


def test_primary_teeth_are_picked_on_the_inner_arches_and_kept_on_edit(page, lab):
    sign_in(page, lab.dentist.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/cases/new/")
    page.get_by_role("textbox", name="Patient").fill("Kid-7")
    page.locator("select[name='items-0-product']").select_option(label="Zirconia crown (ZC)")
    assert not page.locator("[data-tooth='55']").is_visible()
    page.get_by_role("button", name="Show primary teeth").click()
    page.locator("[data-tooth='55']").click()
    page.locator("[data-tooth='55']").press("ArrowRight")
    page.keyboard.press("Space")  # 54
    _shoot(page, "new-primary-teeth")
    page.get_by_role("button", name="Save draft").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    case = Case.objects.get(patient_name="Kid-7")
    assert list(case.items.values_list("teeth", flat=True)) == [[54, 55]]
    _shoot(page, "detail-primary-teeth")
    page.goto(f"/cases/{case.pk}/edit/")
    assert page.locator("[data-tooth='55']").is_visible()
    page.locator("[data-tooth='11']").click()
    page.get_by_role("button", name="Save changes").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    assert list(case.items.values_list("teeth", flat=True)) == [[11, 54, 55]]

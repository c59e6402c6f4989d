"""The journey of issue 4: a dentist creates and submits a case with two items picked on the
tooth chart (by mouse and by keyboard); the technician receives it and moves it through to
shipped; the dentist sees it shipped with the timeline."""

import re
from decimal import Decimal

import pytest
from playwright.sync_api import expect

from cases.models import Case, Status
from cases.services import suggested_due_date
from shipping.models import Courier
from tests.factories import TEST_PASSWORD, DentistFactory, ProductFactory, TechnicianFactory
from tests.fixtures.browser import screenshot, sign_in


@pytest.fixture
def people(transactional_db):
    crown = ProductFactory(code="ZC", name="Zirconia crown", price=Decimal("120.00"), turnaround_days=5)
    bridge = ProductFactory(code="EB", name="E.max bridge unit", price=Decimal("150.00"), turnaround_days=7)
    Courier.objects.create(name="UPS", tracking_url_template="https://www.ups.com/track?tracknum={tracking}")
    return {
        "dentist": DentistFactory(name="Dr. Ada Smith"),
        "technician": TechnicianFactory(name="Taylor Tech"),
        "crown": crown,
        "bridge": bridge,
    }


def _sign_out(page):
    page.get_by_role("button", name="Sign out").click()
    page.wait_for_url("**/login/")


def test_a_case_goes_from_the_dentist_to_the_lab_and_back_shipped(page, people):
    dentist, technician = people["dentist"], people["technician"]

    # The dentist writes the Rx: two items, teeth picked on the chart.
    sign_in(page, dentist.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="New case").first.click()
    page.get_by_role("textbox", name="Patient").fill("JD-1042")
    page.get_by_label("Case shade").fill("A2")
    page.locator("select[name='items-0-product']").select_option(label="Zirconia crown (ZC)")
    page.get_by_role("button", name=re.compile(r"^Tooth 11,")).click()
    page.get_by_role("button", name=re.compile(r"^Tooth 21,")).click()
    expect(page.locator("[data-teeth-summary]").first).to_have_text("11, 21")
    expect(page.get_by_role("button", name=re.compile(r"^Tooth 11,"))).to_have_attribute("aria-pressed", "true")

    page.get_by_role("button", name="+ Add another item").click()
    page.locator("select[name='items-1-product']").select_option(label="E.max bridge unit (EB)")
    # Keyboard: focus tooth 35, arrow right to 36, Space picks it.
    page.get_by_role("button", name=re.compile(r"^Tooth 35,")).focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("Space")
    expect(page.locator("[data-teeth-summary]").nth(1)).to_have_text("36")
    # The first item's teeth stay theirs, drawn as another line's teeth.
    expect(page.get_by_role("button", name=re.compile(r"^Tooth 11,"))).to_have_attribute("aria-pressed", "false")
    expect(page.locator("[data-tooth='11']")).to_have_class(re.compile(r"\bis-other\b"))
    due = suggested_due_date([people["crown"], people["bridge"]])
    expect(page.get_by_label("Due date")).to_have_value(due.isoformat())
    screenshot(page, "journey-1-new-case-two-items")

    page.get_by_role("button", name="Submit to lab").click()
    page.wait_for_url(re.compile(r"/cases/\d+/$"))
    expect(page.get_by_role("alert")).to_contain_text("was sent to the lab")
    case = Case.objects.get()
    assert case.status == Status.SUBMITTED
    assert [(item.product.code, item.teeth) for item in case.items.order_by("id")] == [("ZC", [11, 21]), ("EB", [36])]
    screenshot(page, "journey-2-submitted")
    _sign_out(page)

    # The technician receives it and moves it through to shipped.
    sign_in(page, technician.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Cases", exact=True).click()
    page.get_by_label("Search").fill("JD-1042")
    page.get_by_role("button", name="Filter").click()
    page.get_by_role("link", name=case.number).click()
    for label, sentence in (
        ("Mark received", "has been received"),
        ("Start production", "is now in production"),
        ("Send to quality check", "is now in quality check"),
    ):
        page.get_by_role("button", name=label).click()
        expect(page.get_by_role("alert")).to_contain_text(sentence)
    # Shipping asks for the courier and the tracking number (the shipping app's form).
    page.get_by_role("link", name="Mark shipped…").click()
    page.get_by_label("Tracking number").fill("1Z999AA10123456784")
    page.get_by_role("button", name="Ship", exact=True).click()
    expect(page.get_by_role("alert")).to_contain_text(f"Shipped 1 case ({case.number}) with UPS.")
    expect(page.locator("h1 .status-badge")).to_have_text("Shipped")
    screenshot(page, "journey-3-technician-shipped")
    _sign_out(page)

    # The dentist sees it shipped, with the whole timeline.
    sign_in(page, dentist.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{case.pk}/")
    expect(page.locator("h1 .status-badge")).to_have_text("Shipped")
    timeline = page.locator(".timeline")
    for text in ("Received", "In production", "Quality check", "Shipped", "created the case"):
        expect(timeline).to_contain_text(text)
    expect(page.get_by_role("button", name="Confirm delivery")).to_be_visible()
    screenshot(page, "journey-4-dentist-sees-shipped")
    case.refresh_from_db()
    assert case.status == Status.SHIPPED and case.shipped_at is not None

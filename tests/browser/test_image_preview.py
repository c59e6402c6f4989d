"""Clicking (or pressing Enter on) an image thumbnail opens a larger preview; Escape closes it and
focus goes back to the thumbnail (issue 15)."""

import pytest
from playwright.sync_api import expect

from tests.factories import TEST_PASSWORD, CaseFactory, CaseFileFactory, ManagerFactory
from tests.fixtures.browser import sign_in


@pytest.fixture
def case_with_photo(transactional_db):
    case = CaseFactory()
    CaseFileFactory(case=case, kind="photo", original_name="upper-arch.png", content_type="image/png")
    return case


def test_a_thumbnail_opens_a_larger_preview_by_mouse_and_keyboard(page, case_with_photo):
    manager = ManagerFactory()
    sign_in(page, manager.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{case_with_photo.pk}/")
    thumbnail = page.get_by_role("button", name="Preview upper-arch.png")
    thumbnail.click()
    dialog = page.get_by_role("dialog", name="upper-arch.png")
    expect(dialog).to_be_visible()
    url = f"/api/files/{case_with_photo.files.get().pk}/download/?preview=1"
    expect(dialog.get_by_role("img", name="upper-arch.png")).to_have_attribute("src", url)
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(thumbnail).to_be_focused()
    page.keyboard.press("Enter")
    expect(dialog).to_be_visible()
    dialog.get_by_role("button", name="Close").click()
    expect(dialog).to_be_hidden()

"""The files panel in the case page's narrow column: names stay readable (they once wrapped a few
letters a line) and the row's actions stay in view, at desktop and tablet width."""

import pytest

from tests.factories import TEST_PASSWORD, CaseFactory, CaseFileFactory, ManagerFactory
from tests.fixtures.browser import sign_in


@pytest.fixture
def case_with_files(transactional_db):
    case = CaseFactory()
    CaseFileFactory(case=case, kind="photo", original_name="upper-arch.png", content_type="image/png")
    CaseFileFactory(case=case, original_name="crown-21.stl")
    return case


@pytest.mark.parametrize("width", [1280, 820])
def test_file_names_and_actions_fit_in_the_case_pages_files_panel(page, case_with_files, width):
    manager = ManagerFactory()
    page.set_viewport_size({"width": width, "height": 900})
    sign_in(page, manager.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{case_with_files.pk}/")
    name = page.get_by_test_id("file-name").first
    assert name.bounding_box()["height"] < 30, "the file name wraps"
    wrap = page.locator(".file-table-wrap").first
    assert wrap.evaluate("(el) => el.scrollWidth <= el.clientWidth"), "the file table scrolls sideways"
    assert page.get_by_role("button", name="Delete").first.is_visible()

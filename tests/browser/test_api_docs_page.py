"""/api/docs/ renders Swagger UI from local assets and lists the cases endpoints."""

import pytest

from tests.factories import TEST_PASSWORD, ManagerFactory
from tests.fixtures.browser import screenshot, sign_in


@pytest.fixture
def manager(transactional_db):
    return ManagerFactory(email="docs.reader@lab.test")


def test_the_api_docs_render_with_local_assets(page, manager):
    outside = []
    page.on(
        "request",
        lambda request: (
            outside.append(request.url) if "127.0.0.1" not in request.url and "localhost" not in request.url else None
        ),
    )
    sign_in(page, manager.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/api/docs/")
    page.get_by_text("DentalLab API").first.wait_for()
    page.locator(".opblock-summary-path", has_text="/api/cases/{id}/transition/").first.wait_for()
    screenshot(page, "api-docs")
    assert not [url for url in outside if not url.startswith("data:")], outside

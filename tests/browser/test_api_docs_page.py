"""/api/docs/ renders Swagger UI from local assets only, and works under the strict
Content-Security-Policy the site sends (no inline script or style, nothing from other origins)."""

import pytest

from tests.factories import TEST_PASSWORD, ManagerFactory
from tests.fixtures.browser import screenshot, sign_in

STRICT_CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; font-src 'self' data:; "
    "connect-src 'self'; object-src 'none'; base-uri 'self'; frame-ancestors 'none'"
)


@pytest.fixture
def manager(transactional_db):
    return ManagerFactory(email="docs.reader@lab.test")


def test_the_api_docs_render_with_local_assets_under_a_strict_csp(page, manager, live_server):
    outside, violations = [], []
    page.on(
        "request",
        lambda request: None if request.url.startswith((live_server.url, "data:")) else outside.append(request.url),
    )
    page.on(
        "console",
        lambda message: violations.append(message.text) if "Content Security Policy" in message.text else None,
    )

    protected = []

    def with_csp(route):
        protected.append(route.request.url)
        response = route.fetch()
        route.fulfill(response=response, headers={**response.headers, "content-security-policy": STRICT_CSP})

    page.route("**/api/docs/*", with_csp)
    sign_in(page, manager.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/api/docs/")
    page.get_by_text("DentalLab API").first.wait_for()
    page.locator(".opblock-summary-path", has_text="/api/cases/{id}/transition/").first.wait_for()
    screenshot(page, "api-docs")
    assert any(url.endswith("/api/docs/") for url in protected), protected  # the page had the CSP
    assert outside == []
    assert violations == []

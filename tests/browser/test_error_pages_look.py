"""The error pages as a person sees them: branded, readable, the way back offered (laptop and
tablet widths). Screenshots land in test-artifacts/."""

from unittest import mock

import pytest
from django import db

from tests.fixtures.browser import screenshot


@pytest.mark.django_db(transaction=True)
def test_the_404_and_503_pages_are_branded_and_readable(page):
    response = page.goto("/no-such-page/")
    assert response.status == 404
    assert page.get_by_role("heading", name="We can't find that page").is_visible()
    assert page.get_by_role("link", name="Back to the dashboard").is_visible()
    screenshot(page, "error-404")

    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=db.OperationalError("down")):
        page.context.add_cookies([{"name": "sessionid", "value": "x" * 32, "domain": "localhost", "path": "/"}])
        response = page.goto("/cases/")
        assert response.status == 503
        assert page.get_by_role("heading", name="DentalLab is back in a moment").is_visible()
        screenshot(page, "error-503")
        page.set_viewport_size({"width": 820, "height": 1100})
        screenshot(page, "error-503-tablet")

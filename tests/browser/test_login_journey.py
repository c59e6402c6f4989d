import pytest
from django.core.management import call_command

from tests.fixtures.browser import screenshot, sign_in


@pytest.fixture
def demo(transactional_db, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    settings.DEBUG = False


def test_a_seeded_dentist_signs_in_and_sees_their_name(page, demo):
    page.goto("/")
    assert "/login/" in page.url
    screenshot(page, "login")
    sign_in(page, "dr.smith@brightsmile.test", "dentallab-demo")
    page.wait_for_url("**/")
    assert page.get_by_test_id("user-name").inner_text() == "Dr. Sarah Smith"
    assert "Bright Smile Dental" in page.content()
    screenshot(page, "dashboard-dentist")


def test_a_wrong_password_shows_the_error_on_the_form(page, demo):
    sign_in(page, "tech@demo.dentallab.test", "wrong-password")
    assert page.get_by_role("alert").inner_text() == "That email and password do not match an active account."

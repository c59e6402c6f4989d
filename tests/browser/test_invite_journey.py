"""End to end in Chromium: a manager invites a dentist; the dentist sets a password from the
emailed link and signs in."""

import re

import pytest
from django.core import mail

from dentallab.task_runner import run_queued_tasks
from tests.factories import TEST_PASSWORD, AdminFactory, ManagerFactory, PracticeFactory, TechnicianFactory
from tests.fixtures.browser import screenshot, sign_in

PASSWORD = "my own strong password"


@pytest.fixture
def lab(transactional_db):
    practice = PracticeFactory(name="Bright Smile Dental", account_number="BSD-1001", phone="+1 217 555 0142")
    PracticeFactory(name="Riverside Family Dentistry", account_number="RFD-1002")
    manager = ManagerFactory(email="manager@lab.test", name="Morgan Manager")
    TechnicianFactory(email="tech@lab.test", name="Taylor Technician")
    return {"practice": practice, "manager": manager}


def test_a_manager_invites_a_dentist_who_sets_a_password_and_signs_in(page, lab):
    sign_in(page, "manager@lab.test", TEST_PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Users").click()
    page.wait_for_url("**/users/")
    screenshot(page, "users-list")
    page.get_by_role("link", name="Invite a user").click()
    page.wait_for_url("**/users/invite/")

    # The practice field only shows for dentists; a dentist without one is refused, next to the field.
    page.get_by_label("Role").select_option("technician")
    assert not page.get_by_label("Practice").is_visible()
    page.get_by_label("Role").select_option("dentist")
    assert page.get_by_label("Practice").is_visible()
    page.get_by_label("Name").fill("Dr. Ada Lovelace")
    page.get_by_label("Email").fill("ada@brightsmile.test")
    page.get_by_role("button", name="Send invitation").click()
    assert page.locator(".invalid-feedback").inner_text() == "Choose the dentist's practice."
    screenshot(page, "invite-error")

    page.get_by_label("Practice").select_option(label="Bright Smile Dental")
    page.get_by_role("button", name="Send invitation").click()
    page.wait_for_url("**/users/")
    assert "Invitation sent to ada@brightsmile.test." in page.get_by_role("alert").inner_text()
    row = page.locator('[data-testid="user-row"][data-email="ada@brightsmile.test"]')
    assert "Invited" in row.inner_text() and "Bright Smile Dental" in row.inner_text()
    page.get_by_role("button", name="Sign out").click()

    run_queued_tasks(seconds=30)  # the invitation is sent by a task
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/welcome/\S+/)", mail.outbox[0].body).group(1)
    page.goto(link)
    assert page.get_by_role("heading", name="Welcome to DentalLab").is_visible()
    screenshot(page, "invite-accept")
    page.locator("#id_new_password1").fill("short")
    page.locator("#id_new_password2").fill("short")
    page.get_by_role("button", name="Set my password").click()
    assert "too short" in page.locator(".invalid-feedback").first.inner_text()
    page.locator("#id_new_password1").fill(PASSWORD)
    page.locator("#id_new_password2").fill(PASSWORD)
    page.get_by_role("button", name="Set my password").click()
    page.wait_for_url("**/login/")
    assert "Your password is set" in page.get_by_role("alert").inner_text()
    screenshot(page, "invite-done-login")

    sign_in(page, "ada@brightsmile.test", PASSWORD)
    page.wait_for_url("**/")
    assert page.get_by_test_id("user-name").inner_text() == "Dr. Ada Lovelace"
    assert "Bright Smile Dental" in page.content()
    assert page.get_by_role("link", name="Users").count() == 0  # dentists manage nothing
    screenshot(page, "invite-dentist-dashboard")


def test_management_pages_render_cleanly(page, lab):
    """Screenshots of the remaining pages for a look (and no JavaScript errors on them)."""
    AdminFactory(email="admin@lab.test", name="Alex Admin")
    sign_in(page, "admin@lab.test", TEST_PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("link", name="Practices").click()
    screenshot(page, "practices-list")
    page.get_by_role("link", name="Bright Smile Dental").click()
    screenshot(page, "practice-edit")
    page.goto("/practices/new/")
    page.get_by_role("button", name="Create practice").click()
    assert page.locator(".invalid-feedback").first.inner_text() == "This field is required."
    screenshot(page, "practice-new-error")
    page.goto("/users/")
    page.get_by_role("link", name="Taylor Technician").click()
    page.wait_for_url("**/users/*/")
    screenshot(page, "user-edit")
    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Deactivate account").click()
    assert "can no longer sign in" in page.get_by_role("alert").inner_text()
    screenshot(page, "user-deactivated")
    page.goto("/audit/")
    screenshot(page, "audit-log")
    page.goto("/password/change/")
    screenshot(page, "password-change")


def test_a_locked_out_user_sees_why_and_a_manager_unlocks_them(page, lab):
    for _ in range(5):
        sign_in(page, "tech@lab.test", "wrong password")
    assert "locked for 15 minutes" in page.get_by_role("alert").inner_text()
    screenshot(page, "login-locked")
    sign_in(page, "manager@lab.test", TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/users/")
    row = page.locator('[data-testid="user-row"][data-email="tech@lab.test"]')
    assert "Locked" in row.inner_text()
    screenshot(page, "users-list-locked")
    row.get_by_role("button", name="Unlock").click()
    assert "is unlocked" in page.get_by_role("alert").inner_text()


def test_the_password_reset_pages(page, lab):
    page.goto("/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    screenshot(page, "password-reset")
    page.get_by_label("Email").fill("tech@lab.test")
    page.get_by_role("button", name="Send the reset link").click()
    page.wait_for_url("**/password/reset/sent/")
    screenshot(page, "password-reset-sent")

"""The header at tablet width (820px): the sign-out button keeps to one line (it once broke
into "Sign / out"). Under 992 px the links and the user box fold into the Menu button."""

from tests.factories import TEST_PASSWORD, AdminFactory
from tests.fixtures.browser import sign_in


def test_the_sign_out_button_stays_on_one_line_at_tablet_width(page, transactional_db):
    admin = AdminFactory(name="Alexandra Administrator")
    page.set_viewport_size({"width": 820, "height": 900})
    sign_in(page, admin.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.get_by_role("button", name="Menu").click()
    button = page.get_by_role("button", name="Sign out")
    assert button.bounding_box()["height"] < 40

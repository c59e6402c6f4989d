"""Who may open each case page: every role, anonymous visitors and the other practice's dentist
(objects they may not see are 404, actions their role may not take are 403)."""

import pytest
from django.urls import reverse

from cases.models import Status
from tests.case_pages import make_lab, move

pytestmark = pytest.mark.django_db

LAB_ROLES = ("admin", "manager", "technician")


@pytest.fixture
def lab():
    return make_lab()


def _get(client, user, url):
    if user is not None:
        client.force_login(user)
    return client.get(url)


@pytest.mark.parametrize(
    "name", ["home", "cases:list", "cases:export", "cases:create", "cases:detail", "cases:edit", "cases:ticket"]
)
def test_anonymous_visitors_are_sent_to_sign_in(client, lab, name):
    url = reverse(name, args=[lab.case.pk]) if name in ("cases:detail", "cases:edit", "cases:ticket") else reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("name", ["cases:move", "cases:note", "cases:assign", "cases:remake"])
def test_anonymous_posts_are_sent_to_sign_in_and_change_nothing(client, lab, name):
    response = client.post(reverse(name, args=[lab.case.pk]), {"to": Status.CANCELLED, "body": "x", "reason": "x"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    lab.case.refresh_from_db()
    assert lab.case.status == Status.SUBMITTED and lab.case.events.count() == 2


@pytest.mark.parametrize("role", [*LAB_ROLES, "dentist", "other_dentist"])
@pytest.mark.parametrize("name", ["home", "cases:list", "cases:export", "cases:create"])
def test_every_role_opens_the_pages_that_are_not_about_one_case(client, lab, role, name):
    assert _get(client, lab.users()[role], reverse(name)).status_code == 200


@pytest.mark.parametrize("role", [*LAB_ROLES, "dentist"])
@pytest.mark.parametrize("name", ["cases:detail", "cases:edit", "cases:ticket"])
def test_the_lab_and_the_practice_open_a_submitted_case(client, lab, role, name):
    assert _get(client, lab.users()[role], reverse(name, args=[lab.case.pk])).status_code == 200


@pytest.mark.parametrize("name", ["cases:detail", "cases:edit", "cases:ticket"])
def test_the_other_practices_dentist_gets_404_not_403(client, lab, name):
    assert _get(client, lab.other_dentist, reverse(name, args=[lab.case.pk])).status_code == 404


@pytest.mark.parametrize("name", ["cases:move", "cases:note", "cases:assign", "cases:remake"])
def test_the_other_practices_dentist_cannot_act_on_the_case(client, lab, name):
    client.force_login(lab.other_dentist)
    response = client.post(reverse(name, args=[lab.case.pk]), {"to": Status.CANCELLED, "body": "x", "reason": "x"})
    assert response.status_code == 404
    lab.case.refresh_from_db()
    assert lab.case.status == Status.SUBMITTED


def test_a_case_that_does_not_exist_is_404(client, lab):
    assert _get(client, lab.manager, reverse("cases:detail", args=[999999])).status_code == 404


def test_a_dentist_may_not_edit_a_case_the_lab_has_received(client, lab):
    move(lab.case, lab.technician, Status.RECEIVED)
    assert _get(client, lab.dentist, reverse("cases:edit", args=[lab.case.pk])).status_code == 403


def test_nobody_edits_a_shipped_case(client, lab):
    move(lab.case, lab.manager, Status.RECEIVED, Status.IN_PRODUCTION, Status.QUALITY_CHECK, Status.SHIPPED)
    assert _get(client, lab.manager, reverse("cases:edit", args=[lab.case.pk])).status_code == 403


def test_a_dentist_may_not_assign_a_technician(client, lab):
    client.force_login(lab.dentist)
    response = client.post(reverse("cases:assign", args=[lab.case.pk]), {"technician": lab.technician.pk})
    assert response.status_code == 403
    lab.case.refresh_from_db()
    assert lab.case.assigned_technician is None


def test_actions_only_accept_post(client, lab):
    client.force_login(lab.manager)
    for name in ("cases:move", "cases:note", "cases:assign", "cases:remake"):
        assert client.get(reverse(name, args=[lab.case.pk])).status_code == 405


def test_pages_have_no_inline_scripts_or_style_attributes(client, lab):
    """The Content-Security-Policy forbids them."""
    client.force_login(lab.manager)
    for url in (
        reverse("home"),
        reverse("cases:list"),
        reverse("cases:create"),
        reverse("cases:detail", args=[lab.case.pk]),
        reverse("cases:edit", args=[lab.case.pk]),
        reverse("cases:ticket", args=[lab.case.pk]),
    ):
        html = client.get(url).content.decode()
        assert 'style="' not in html, url
        assert "<script>" not in html and '<script type="module">' not in html, url
        assert " onclick=" not in html and " onchange=" not in html, url

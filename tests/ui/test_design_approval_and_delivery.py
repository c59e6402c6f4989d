"""Design approval shows the design (issue 15): the files beside Approve / Request changes, and no
"Send design for approval" without a design file while DESIGN_APPROVAL_REQUIRES_FILE is on (the
default); shipped cases wait for "Confirm delivery" on the dentist's dashboard."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from cases.models import Status
from cases.services import transition_case
from files.demo import _crown_stl
from files.models import FileKind
from files.receivers import DesignFileRequired
from files.services import receive_upload
from tests.case_pages import make_lab

pytestmark = pytest.mark.django_db


def _in_design(lab):
    for status in (Status.RECEIVED, Status.IN_DESIGN):
        transition_case(case=lab.case, to=status, actor=lab.technician)
    return lab.case


def _attach_design(lab, name="crown-21.stl"):
    upload = SimpleUploadedFile(name, _crown_stl("crown"), content_type="model/stl")
    return receive_upload(case=lab.case, actor=lab.technician, uploaded=upload, kind=FileKind.DESIGN)


def test_sending_for_approval_needs_a_design_file(lab_with_case):
    lab = lab_with_case
    case = _in_design(lab)
    with pytest.raises(DesignFileRequired) as refused:
        transition_case(case=case, to=Status.AWAITING_APPROVAL, actor=lab.technician)
    assert refused.value.status_code == 409 and refused.value.field == "files"
    case.refresh_from_db()
    assert case.status == Status.IN_DESIGN  # nothing half-done
    _attach_design(lab)
    assert transition_case(case=case, to=Status.AWAITING_APPROVAL, actor=lab.technician).status == "awaiting_approval"


def test_the_setting_turns_the_rule_off(lab_with_case, settings):
    settings.DESIGN_APPROVAL_REQUIRES_FILE = False
    case = _in_design(lab_with_case)
    assert transition_case(case=case, to=Status.AWAITING_APPROVAL, actor=lab_with_case.technician).status == (
        "awaiting_approval"
    )


def test_the_page_says_why_the_move_was_refused(client, lab_with_case):
    lab = lab_with_case
    case = _in_design(lab)
    client.force_login(lab.technician)
    response = client.post(reverse("cases:move", args=[case.pk]), {"to": "awaiting_approval"}, follow=True)
    assert "Upload the design file" in response.content.decode()


def test_the_api_answers_409_with_the_error_shape(client, lab_with_case):
    from rest_framework_simplejwt.tokens import AccessToken

    lab = lab_with_case
    case = _in_design(lab)
    response = client.post(
        f"/api/cases/{case.pk}/transition/",
        {"to": "awaiting_approval"},
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(lab.technician)}",
    )
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "design_file_required" and "files" in body["errors"]


def test_the_dentist_sees_the_design_beside_approve_and_request_changes(client, lab_with_case):
    lab = lab_with_case
    case = _in_design(lab)
    design = _attach_design(lab)
    transition_case(case=case, to=Status.AWAITING_APPROVAL, actor=lab.technician)
    client.force_login(lab.dentist)
    html = client.get(reverse("cases:detail", args=[case.pk])).content.decode()
    card = html[html.index('id="moves-title"') : html.index("</section>", html.index('id="moves-title"'))]
    assert "Approve design" in card and "Request changes" in card
    assert 'data-testid="design-review"' in card and "crown-21.stl" in card
    assert f'data-url="/api/files/{design.pk}/download/?preview=1"' in card and "View 3D" in card


def test_shipped_cases_wait_for_confirm_delivery_on_the_dentists_dashboard(client, lab_with_case):
    lab = lab_with_case
    for status in (Status.RECEIVED, Status.IN_PRODUCTION, Status.QUALITY_CHECK):
        transition_case(case=lab.case, to=status, actor=lab.technician)
    lab.case.status = Status.SHIPPED
    lab.case.save(update_fields=["status"])
    client.force_login(lab.dentist)
    html = client.get(reverse("home")).content.decode()
    assert 'data-testid="awaiting-delivery"' in html and lab.case.number in html
    assert "Confirm delivery" in html
    client.post(reverse("cases:move", args=[lab.case.pk]), {"to": "delivered"})
    lab.case.refresh_from_db()
    assert lab.case.status == Status.DELIVERED
    assert 'data-testid="awaiting-delivery"' not in client.get(reverse("home")).content.decode()


@pytest.fixture
def lab_with_case(settings):
    settings.DESIGN_APPROVAL_REQUIRES_FILE = True  # the default (tests/settings.py turns it off)
    return make_lab()


def test_the_rule_is_on_by_default():
    import dentallab.settings

    assert dentallab.settings.DESIGN_APPROVAL_REQUIRES_FILE is True

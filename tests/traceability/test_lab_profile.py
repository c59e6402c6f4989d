"""The lab profile page (managers), its private logo, the dashboard warning while the region's
required fields are missing, and the profile on the printable ticket."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from accounts.models import LabProfile
from tests.factories import CaseItemFactory, DentistFactory, ManagerFactory, TechnicianFactory
from traceability.selectors import lab_profile_gaps

pytestmark = pytest.mark.django_db


def png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), "teal").save(buffer, format="PNG")
    return buffer.getvalue()


def complete(**overrides):
    profile = LabProfile.current()
    for name, value in {
        "legal_name": "Acme Dental Lab Ltd",
        "address": "1 High St",
        "manufacturing_sites": "1 High St",
        "responsible_person": "A. Person",
        "eu_srn": "IE-MF-1",
        **overrides,
    }.items():
        setattr(profile, name, value)
    profile.save()
    return profile


def test_managers_see_the_warning_until_the_eu_fields_are_filled(client):
    client.force_login(ManagerFactory())
    assert 'data-testid="lab-profile-warning"' in client.get("/").content.decode()
    complete()
    assert 'data-testid="lab-profile-warning"' not in client.get("/").content.decode()


def test_technicians_and_dentists_never_see_the_warning(client):
    for user in (TechnicianFactory(), DentistFactory()):
        client.force_login(user)
        assert 'data-testid="lab-profile-warning"' not in client.get("/").content.decode()


def test_the_us_region_needs_the_fda_establishment_number(settings):
    complete()
    settings.LAB_REGULATORY_REGION = "us"
    assert lab_profile_gaps().missing == ["US FDA establishment number"]


def test_a_manager_saves_the_profile_with_a_png_logo_served_only_to_signed_in_people(client):
    client.force_login(ManagerFactory())
    response = client.post(
        "/lab-profile/",
        {"legal_name": "Acme Dental Lab Ltd", "logo_upload": SimpleUploadedFile("logo.png", png(), "image/png")},
    )
    assert response.status_code == 302
    profile = LabProfile.current()
    assert profile.legal_name == "Acme Dental Lab Ltd" and profile.logo.name.endswith(".png")
    assert "logo.png" not in profile.logo.name  # a new unguessable name
    assert client.get("/lab/logo/")["Content-Type"] == "image/png"
    client.logout()
    assert client.get("/lab/logo/").status_code == 302


def test_a_logo_that_is_not_an_image_is_refused(client):
    client.force_login(ManagerFactory())
    response = client.post(
        "/lab-profile/",
        {"legal_name": "Acme", "logo_upload": SimpleUploadedFile("logo.png", b"<svg onload=alert(1)>", "image/png")},
    )
    assert response.status_code == 200 and "must be a PNG or JPEG" in response.content.decode()
    assert not LabProfile.current().logo


def test_the_ticket_prints_the_lab_profile(client):
    complete(legal_name="Acme Dental Lab Ltd", phone="+1 555 0100")
    item = CaseItemFactory()
    client.force_login(TechnicianFactory())
    html = client.get(f"/cases/{item.case_id}/ticket/").content.decode()
    assert "Acme Dental Lab Ltd" in html and "+1 555 0100" in html

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from tests.factories import DentistFactory, ManagerFactory

pytestmark = pytest.mark.django_db


def test_it_shows_a_dentists_role_and_practice(client):
    dentist = DentistFactory(name="Dr. Sarah Smith", practice__name="Bright Smile Dental")
    response = client.get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(dentist)}")
    assert response.status_code == 200
    assert response.json() == {
        "id": dentist.pk,
        "email": dentist.email,
        "name": "Dr. Sarah Smith",
        "role": "dentist",
        "practice": {"id": dentist.practice_id, "name": "Bright Smile Dental"},
    }


def test_lab_staff_have_no_practice(client):
    manager = ManagerFactory()
    response = client.get("/api/me/", HTTP_AUTHORIZATION=f"Bearer {AccessToken.for_user(manager)}")
    assert response.json()["practice"] is None
    assert response.json()["role"] == "manager"


def test_the_browser_session_is_accepted_too(client):
    manager = ManagerFactory()
    client.force_login(manager)
    assert client.get("/api/me/").json()["id"] == manager.pk


def test_anonymous_callers_get_a_json_401(client):
    response = client.get("/api/me/")
    assert response.status_code == 401
    assert response.json() == {
        "message": "Authentication credentials were not provided.",
        "detail": "Authentication credentials were not provided.",
        "code": "not_authenticated",
        "errors": {},
    }


def test_a_forged_token_is_refused(client):
    response = client.get("/api/me/", HTTP_AUTHORIZATION="Bearer abc.def.ghi")
    assert response.status_code == 401
    assert response.json()["code"] == "token_not_valid"

"""People get a branded page and the API gets JSON when something breaks; a lost database is a
503 with Retry-After (dentallab/errors.py), never a bare 500 or a traceback."""

from unittest import mock

import pytest
from django import db
from django.test import Client

from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def signed_in():
    client = Client(raise_request_exception=False)
    client.force_login(ManagerFactory())
    return client


def database_down():
    return mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=db.OperationalError("connection refused"),
    )


def test_a_page_answers_a_friendly_503_when_the_database_is_unreachable(signed_in):
    with database_down():
        response = signed_in.get("/")
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    text = response.content.decode()
    assert "DentalLab is back in a moment" in text
    assert "Everything you saved before is safe" in text
    assert "OperationalError" not in text and "Traceback" not in text


def test_an_api_client_gets_json_503_when_the_database_is_unreachable(signed_in):
    with database_down():
        response = signed_in.get("/", HTTP_ACCEPT="application/json")
    assert response.status_code == 503
    assert response["Content-Type"] == "application/json"
    assert response.json() == {
        "message": "The service is temporarily unavailable. Please try again in a moment.",
        "detail": "The service is temporarily unavailable. Please try again in a moment.",
        "code": "service_unavailable",
        "errors": {},
    }


def test_an_unexpected_error_shows_the_branded_500_page(signed_in):
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=RuntimeError("boom: secret")):
        response = signed_in.get("/")
    assert response.status_code == 500
    text = response.content.decode()
    assert "Something went wrong on our side" in text
    assert "boom" not in text and "RuntimeError" not in text
    assert 'href="/static/css/app.css"' in text  # branded: the app's own stylesheet


def test_an_unexpected_api_error_is_json_without_details(signed_in):
    with mock.patch("django.contrib.sessions.backends.db.SessionStore.load", side_effect=RuntimeError("boom")):
        response = signed_in.get("/", HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert response.json() == {
        "message": "Something went wrong on our side. It has been logged.",
        "detail": "Something went wrong on our side. It has been logged.",
        "code": "server_error",
        "errors": {},
    }


def test_an_unknown_api_url_answers_json_404_like_every_api_error(signed_in):
    response = signed_in.get("/api/cases/not-a-number/")
    assert response.status_code == 404
    assert response.json() == {"message": "Not found.", "detail": "Not found.", "code": "not_found", "errors": {}}


def test_an_unknown_page_shows_the_branded_404_page(signed_in):
    response = signed_in.get("/no-such-page/")
    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def storage_down():
    from botocore.exceptions import EndpointConnectionError

    return mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=EndpointConnectionError(endpoint_url="http://storage.invalid"),
    )


def test_an_unreachable_file_store_is_a_503_that_says_nothing_was_saved(signed_in):
    with storage_down():
        page = signed_in.get("/")
        api = signed_in.get("/", HTTP_ACCEPT="application/json")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert "file storage" in page.content.decode() and "storage.invalid" not in page.content.decode()
    assert api.status_code == 503
    assert api.json() == {
        "message": "File storage is unavailable right now, so nothing was saved. Please try again in a moment.",
        "detail": "File storage is unavailable right now, so nothing was saved. Please try again in a moment.",
        "code": "service_unavailable",
        "errors": {},
    }


def test_the_drivers_own_connection_error_is_a_503_too(signed_in):
    """Django does not wrap every psycopg error: closing a server-side cursor on a lost
    connection raises psycopg.OperationalError itself (seen in the outage test as a 500)."""
    psycopg = pytest.importorskip("psycopg")
    with mock.patch(
        "django.contrib.sessions.backends.db.SessionStore.load",
        side_effect=psycopg.OperationalError("consuming input failed: server closed the connection unexpectedly"),
    ):
        response = signed_in.get("/cases/")
    assert response.status_code == 503
    assert "DentalLab is back in a moment" in response.content.decode()

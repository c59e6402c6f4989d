"""Security headers on pages and API responses, and the Content-Security-Policy they carry."""

import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured

from dentallab.security import content_security_policy, storage_origins
from dentallab.storage_config import r2_storage
from tests.factories import TechnicianFactory
from tests.fixtures.appserver import PROJECT, production_env

pytestmark = pytest.mark.django_db


def directives(header: str) -> dict[str, list[str]]:
    parsed = {}
    for part in header.split(";"):
        name, *values = part.split()
        parsed[name] = values
    return parsed


@pytest.fixture
def staff_client(client):
    client.force_login(TechnicianFactory())
    return client


@pytest.mark.parametrize("path", ["/login/", "/", "/api/health", "/no-such-page/"])
def test_every_response_carries_the_security_headers(staff_client, path):
    response = staff_client.get(path, secure=True)
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"] and "microphone=()" in response["Permissions-Policy"]
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    csp = directives(response["Content-Security-Policy"])
    assert csp["default-src"] == ["'self'"]
    assert csp["script-src"] == ["'self'"]
    assert csp["style-src"] == ["'self'"]
    assert csp["object-src"] == ["'none'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'self'"]
    assert csp["form-action"] == ["'self'"]
    assert csp["worker-src"] == ["'self'", "blob:"]
    assert set(csp["img-src"]) == {"'self'", "data:", "blob:"}
    assert csp["connect-src"] == ["'self'"]


def test_no_policy_allows_inline_code_or_eval():
    policy = content_security_policy(storage=["https://acct.r2.cloudflarestorage.com"], public=[])
    text = str(policy)
    assert "unsafe-inline" not in text and "unsafe-eval" not in text and "*" not in text


def test_the_browser_may_reach_the_r2_endpoint_for_uploads_and_previews():
    origins = storage_origins(endpoint="https://acct.r2.cloudflarestorage.com", bucket="lab-files")
    assert origins == ["https://acct.r2.cloudflarestorage.com", "https://lab-files.acct.r2.cloudflarestorage.com"]
    policy = content_security_policy(storage=origins, public=["https://files.lab.example.com"])["DIRECTIVES"]
    assert policy["connect-src"] == ["'self'", *origins]
    assert set(origins) | {"https://files.lab.example.com"} <= set(policy["img-src"])


def test_a_local_s3_endpoint_has_no_virtual_host_form():
    assert storage_origins(endpoint="http://127.0.0.1:9000", bucket="b") == ["http://127.0.0.1:9000"]
    assert storage_origins(endpoint="", bucket="b") == []


def test_a_malformed_r2_endpoint_is_refused():
    with pytest.raises(ImproperlyConfigured, match="R2_ENDPOINT"):
        storage_origins(endpoint="acct.r2.cloudflarestorage.com", bucket="b")


def test_with_r2_configured_pages_may_reach_its_endpoint(staff_client, settings):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": r2_storage(
            bucket="lab-files", endpoint="https://acct.r2.cloudflarestorage.com", access_key="a", secret_key="s"
        ),
    }
    csp = directives(staff_client.get("/", secure=True)["Content-Security-Policy"])
    r2 = ["https://acct.r2.cloudflarestorage.com", "https://lab-files.acct.r2.cloudflarestorage.com"]
    assert csp["connect-src"] == ["'self'", *r2]
    assert set(r2) <= set(csp["img-src"]) and set(r2) <= set(csp["media-src"])
    assert csp["script-src"] == ["'self'"]


def test_a_malformed_r2_endpoint_stops_the_start_up():
    env = {
        **production_env(R2_ENDPOINT="acct.r2.cloudflarestorage.com"),
        "DJANGO_SETTINGS_MODULE": "dentallab.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "R2_ENDPOINT must be an absolute http(s) URL" in result.stderr


def test_no_cors_headers_are_sent_to_other_origins(staff_client):
    response = staff_client.get("/api/health", HTTP_ORIGIN="https://evil.example")
    assert "Access-Control-Allow-Origin" not in response

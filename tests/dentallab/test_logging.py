"""Logs: one JSON object per line, a request id per request, and no secrets or patient data."""

import io
import json
import logging
import re
import subprocess
import sys
from urllib.parse import urlencode

import pytest

from dentallab.observability import JsonFormatter, _drop_request_details
from tests.factories import TechnicianFactory
from tests.fixtures.appserver import PROJECT, http_request, production_env

pytestmark = pytest.mark.django_db


@pytest.fixture
def log_lines():
    """What the app logs during the test, formatted exactly as production formats it."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    root.addHandler(handler)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)


def access_lines(records):
    return [r for r in records if r["logger"] == "dentallab.request"]


def test_each_request_gets_an_id_in_the_response_and_in_its_log_line(client, log_lines):
    response = client.get("/api/health")
    request_id = response["X-Request-ID"]
    assert re.fullmatch(r"[0-9a-f]{32}", request_id)
    [line] = access_lines(log_lines())
    assert line["request_id"] == request_id
    assert line["method"] == "GET" and line["path"] == "/api/health" and line["status"] == 200
    assert isinstance(line["duration_ms"], float)
    assert line["user_id"] is None
    assert line["level"] == "INFO" and line["time"].endswith("+00:00")


def test_a_sane_incoming_request_id_is_kept(client, log_lines):
    response = client.get("/api/health", HTTP_X_REQUEST_ID="lb-7f3a2c1e-0001")
    assert response["X-Request-ID"] == "lb-7f3a2c1e-0001"
    assert access_lines(log_lines())[0]["request_id"] == "lb-7f3a2c1e-0001"


@pytest.mark.parametrize("bad", ["short", "x" * 200, "has spaces in it", 'quote"and\\backslash', "line\nbreak-00000"])
def test_an_odd_incoming_request_id_is_replaced(client, bad):
    assert client.get("/api/health", HTTP_X_REQUEST_ID=bad)["X-Request-ID"] != bad


def test_the_path_is_logged_without_its_query_string(client, log_lines):
    client.force_login(TechnicianFactory())
    client.get("/", {"search": "Margaret Thornbury"})
    text = json.dumps(log_lines())
    assert "Thornbury" not in text
    assert access_lines(log_lines())[0]["path"] == "/"


def test_the_signed_in_user_id_is_logged(client, log_lines):
    user = TechnicianFactory()
    client.force_login(user)
    client.get("/")
    assert access_lines(log_lines())[0]["user_id"] == user.pk


def test_errors_logged_during_a_request_carry_its_id(client, log_lines):
    response = client.get("/no-such-page/")
    records = log_lines()
    not_found = [r for r in records if r["logger"] == "django.request"]
    assert not_found and not_found[0]["request_id"] == response["X-Request-ID"]
    assert not_found[0]["message"] == "Not Found: /no-such-page/"


def test_exceptions_are_one_line_with_the_traceback_inside():
    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed %s", ("here",), sys.exc_info())
    line = JsonFormatter().format(record)
    assert "\n" not in line
    entry = json.loads(line)
    assert entry["message"] == "failed here" and entry["exc_type"] == "ValueError" and "boom" in entry["exc"]


def test_sentry_events_lose_the_query_string_body_cookies_and_auth_headers():
    event = {
        "request": {
            "url": "https://lab.example.com/cases/",
            "query_string": "search=Thornbury",
            "data": {"password": "x", "patient_name": "Thornbury"},
            "cookies": {"sessionid": "abc"},
            "headers": {"Authorization": "Bearer t", "Cookie": "sessionid=abc", "User-Agent": "Firefox"},
        }
    }
    scrubbed = _drop_request_details(event, {})
    assert scrubbed["request"] == {"url": "https://lab.example.com/cases/", "headers": {"User-Agent": "Firefox"}}


def test_sentry_is_configured_without_personal_data_when_a_dsn_is_set():
    code = (
        "import django; django.setup(); import sentry_sdk; o = sentry_sdk.get_client().options; "
        "print(o['send_default_pii'], o['include_local_variables'], o['max_request_body_size'], o['environment'])"
    )
    env = {
        **production_env(SENTRY_DSN="https://public@o0.ingest.sentry.invalid/1", VERCEL_ENV="preview"),
        "DJANGO_SETTINGS_MODULE": "dentallab.settings",
    }
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False", "False", "never", "preview"]


def _cookie(headers, name):
    for header in headers.get("Set-Cookie", []):
        if header.startswith(f"{name}="):
            return header.split(";", 1)[0].split("=", 1)[1]
    return None


def test_signing_in_for_real_leaves_no_password_cookie_or_token_in_the_logs(image_server, settings):
    """The production command, a real sign-in and an API call with a bearer token; then every line
    the server printed is JSON and none holds the password, the cookies or the token."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]  # what production verifies
    password = "Correct-Horse-Battery-Staple-1843"
    user = TechnicianFactory(email="tech.logs@lab.test")
    user.set_password(password)
    user.save()
    https = {"Host": "lab.example.com", "X-Forwarded-Proto": "https"}

    status, headers, body = http_request(image_server.base, "GET", "/login/", headers=https)
    assert status == 200
    csrf_cookie = _cookie(headers, "csrftoken")
    csrf_form = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()
    form = urlencode({"username": user.email, "password": password, "csrfmiddlewaretoken": csrf_form})
    status, headers, _ = http_request(
        image_server.base,
        "POST",
        "/login/",
        headers={
            **https,
            "Cookie": f"csrftoken={csrf_cookie}",
            "Origin": "https://lab.example.com",
            "Referer": "https://lab.example.com/login/",
            "Content-Type": "application/x-www-form-urlencoded",
        },
        body=form.encode(),
    )
    assert status == 302, "sign-in failed"
    session = _cookie(headers, "sessionid")
    assert session
    status, _, _ = http_request(
        image_server.base, "GET", "/?search=Thornbury", headers={**https, "Cookie": f"sessionid={session}"}
    )
    assert status == 200
    token = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjoxfQ.c2lnbmF0dXJlLW5vdC1sb2dnZWQ"
    http_request(image_server.base, "GET", "/api/health", headers={**https, "Authorization": f"Bearer {token}"})

    output = image_server.output()
    records = [json.loads(line) for line in output.splitlines() if line.strip()]
    for secret in (password, session, csrf_cookie, csrf_form, token, "Thornbury"):
        assert secret not in output
    signed_in = [r for r in records if r.get("path") == "/" and r.get("status") == 200]
    assert signed_in and signed_in[0]["user_id"] == user.pk
    login = [r for r in records if r.get("path") == "/login/" and r.get("method") == "POST"]
    assert login and login[0]["status"] == 302 and login[0]["user_id"] == user.pk
    assert all(r.get("request_id") for r in records if r["logger"] == "dentallab.request")

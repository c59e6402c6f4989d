"""Platform defects of issue 15: with `make run PORT=8100`, ticket QR codes, footer links and
e-mails point at the port the development server runs on, unless SITE_URL is set; /favicon.ico
answers; the Permissions-Policy names only features browsers know."""

import subprocess
import sys

from tests.fixtures.appserver import PROJECT

CODE = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


def _site_url(**env) -> str:
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "dentallab.settings", **env}
    result = subprocess.run(
        [sys.executable, "-c", CODE], cwd=PROJECT, env=base, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_site_url_follows_port_in_development():
    assert _site_url(DJANGO_DEBUG="1", PORT="8100") == "http://127.0.0.1:8100"
    assert _site_url(DJANGO_DEBUG="1") == "http://127.0.0.1:8000"


def test_an_explicit_site_url_wins_and_production_ignores_port():
    assert _site_url(DJANGO_DEBUG="1", PORT="8100", SITE_URL="http://lab.test:9000") == "http://lab.test:9000"
    assert _site_url(DJANGO_DEBUG="0", PORT="8100", SITE_URL="https://lab.example.com") == "https://lab.example.com"


def test_make_run_hands_its_port_to_the_app():
    makefile = (PROJECT / "Makefile").read_text()
    assert "run: export PORT := $(PORT)" in makefile


def test_favicon_ico_answers_for_admin_pages(client, db):
    response = client.get("/favicon.ico")
    assert response.status_code == 301
    assert response["Location"].endswith(".svg")


def test_the_permissions_policy_names_only_features_browsers_know():
    from dentallab.security import PERMISSIONS_POLICY

    features = {part.split("=")[0].strip() for part in PERMISSIONS_POLICY.split(",")}
    assert "bluetooth" not in features
    assert {"camera", "microphone", "geolocation", "fullscreen"} <= features

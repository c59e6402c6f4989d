"""The Docker image's command, run as-is on this machine (there is no Docker engine here).

The Dockerfile's CMD (gunicorn with gunicorn.conf.py, bound to 0.0.0.0:$PORT) runs with a
production environment, static files collected the way the image collects them, and the test
database; the HEALTHCHECK command is then run against it.
"""

import json
import re
import subprocess
import sys

from tests.fixtures.appserver import (
    DOCKERFILE,
    PROJECT,
    dockerfile_instruction,
    free_port,
    http_get,
    http_request,
    production_env,
)


def test_the_image_runs_gunicorn_with_the_shared_config_and_no_migrations():
    assert json.loads(dockerfile_instruction("CMD")) == ["gunicorn", "--config", "gunicorn.conf.py", "dentallab.wsgi"]
    assert dockerfile_instruction("FROM") == "python:3.12-slim"
    assert dockerfile_instruction("USER") == "dentallab"
    assert "migrate" not in dockerfile_instruction("CMD")
    assert "ENTRYPOINT" not in DOCKERFILE
    # The build-only secret is set for collectstatic's RUN alone, never as ENV in the image.
    env_lines = " ".join(line for line in DOCKERFILE.replace("\\\n", " ").splitlines() if line.startswith("ENV "))
    assert "SECRET" not in env_lines
    assert re.search(r"RUN DJANGO_SECRET_KEY=\S+ python manage.py collectstatic --noinput", DOCKERFILE)


def test_gunicorn_config_binds_port_from_the_environment(monkeypatch):
    monkeypatch.setenv("PORT", "9123")
    monkeypatch.setenv("WEB_CONCURRENCY", "3")
    config = {}
    exec((PROJECT / "gunicorn.conf.py").read_text(), config)  # noqa: S102 — our own config file
    assert config["bind"] == "0.0.0.0:9123"
    assert config["workers"] == 3
    assert config["worker_class"] == "gthread"
    assert config["threads"] == 4
    assert config["timeout"] == 30
    assert config["accesslog"] is None


def test_the_image_command_serves_health_and_pages_in_production_mode(image_server):
    host = {"Host": "lab.example.com"}
    status, headers, body = http_get(f"{image_server.base}/api/health", headers=host)
    assert status == 200, body
    assert json.loads(body)["status"] == "ok"
    # Everything else is redirected to HTTPS, as behind the proxy that terminates TLS...
    status, headers, _ = http_request(image_server.base, "GET", "/login/", headers=host)
    assert status == 301 and headers["Location"] == "https://lab.example.com/login/"
    # ...and served once the proxy says the request came over HTTPS, with the hashed static files.
    status, headers, body = http_get(f"{image_server.base}/login/", headers={**host, "X-Forwarded-Proto": "https"})
    assert status == 200
    assert headers["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    css = re.search(rb'href="(/static/css/app\.[0-9a-f]{12}\.css)"', body)
    assert css, body[:600]
    status, headers, _ = http_request(
        image_server.base, "GET", css.group(1).decode(), headers={**host, "X-Forwarded-Proto": "https"}
    )
    assert status == 200 and "immutable" in headers["Cache-Control"]


def test_the_image_command_writes_json_lines_only(image_server):
    http_get(f"{image_server.base}/api/health", headers={"Host": "lab.example.com"})
    lines = [line for line in image_server.output().splitlines() if line.strip()]
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    assert sum(1 for r in records if r["message"].startswith("Booting worker")) == 2
    assert any(r.get("path") == "/api/health" and r.get("status") == 200 for r in records)


def test_the_healthcheck_command_passes_against_a_healthy_server(image_server):
    cmd = json.loads(dockerfile_instruction("HEALTHCHECK").split("CMD", 1)[1])
    assert cmd == ["python", "-m", "dentallab.healthcheck"]
    result = subprocess.run(
        [sys.executable, *cmd[1:]], cwd=PROJECT, env=image_server.env, capture_output=True, text=True, timeout=20
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "HTTP 200" in result.stdout


def test_the_healthcheck_command_fails_when_nothing_answers():
    env = production_env(PORT=str(free_port()))
    result = subprocess.run(
        [sys.executable, "-m", "dentallab.healthcheck"],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=20,
    )
    assert result.returncode == 1
    assert "ConnectionRefusedError" in result.stderr or "URLError" in result.stderr


def test_dockerignore_keeps_secrets_and_local_state_out_of_the_build_context():
    ignored = (PROJECT / ".dockerignore").read_text().split()
    for entry in (".git", ".venv*", ".env*", "*.env", "media", "staticfiles", "db.sqlite3", "tests"):
        assert entry in ignored

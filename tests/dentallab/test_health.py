import json
import time

import pytest
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from tests.fixtures.appserver import http_get, production_env, run_gunicorn

pytestmark = pytest.mark.django_db


def test_it_answers_ok_when_everything_works(client):
    response = client.get("/api/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "migrations", "storage"}
    assert all(check["status"] == "ok" for check in body["checks"].values())
    assert body["checks"]["storage"]["backend"] == "local"
    assert body["version"].startswith("0.1.0")
    assert response["Cache-Control"].startswith("max-age=0")


def test_it_needs_no_authentication_and_only_answers_get(client):
    assert client.get("/api/health").status_code == 200
    assert client.post("/api/health").status_code == 405


def test_it_reports_unapplied_migrations(client):
    app, name = MigrationLoader(connection).graph.leaf_nodes("accounts")[0]
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM django_migrations WHERE app = %s AND name = %s", [app, name])
    response = client.get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "error"
    assert body["failing"] == ["migrations"]
    assert body["checks"]["migrations"] == {
        "status": "error",
        "error": "UnappliedMigrations",
        "duration_ms": body["checks"]["migrations"]["duration_ms"],
    }


def test_it_accepts_a_media_folder_that_the_first_upload_will_create(client, settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(tmp_path / "not-yet" / "media")}},
    }
    assert client.get("/api/health").status_code == 200


def test_it_reports_an_unwritable_local_storage(client, settings, tmp_path):
    read_only = tmp_path / "a-file-not-a-folder"  # root may write anywhere, so chmod proves nothing here
    read_only.write_text("x")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {**settings.STORAGES["default"], "OPTIONS": {"location": str(read_only / "media")}},
    }
    response = client.get("/api/health")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]
    assert response.json()["checks"]["storage"]["error"] == "StorageNotWritable"


def test_it_checks_the_s3_bucket(client, s3_bucket):
    response = client.get("/api/health")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["storage"]["backend"] == "s3"


def test_it_reports_a_missing_bucket_without_leaking_secrets(client, s3_bucket, settings):
    settings.STORAGES["default"]["OPTIONS"]["bucket_name"] = "no-such-bucket"
    response = client.get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["storage"]
    assert body["checks"]["storage"]["error"] == "ClientError"
    text = response.content.decode()
    assert "test-secret-key" not in text and "test-access-key" not in text and s3_bucket["endpoint"] not in text


@pytest.mark.s3
def test_it_reports_an_unreachable_s3_endpoint_quickly(client, s3_bucket, settings):
    from tests.fixtures.appserver import free_port

    settings.STORAGES["default"]["OPTIONS"]["endpoint_url"] = f"http://127.0.0.1:{free_port()}"
    started = time.monotonic()
    response = client.get("/api/health")
    assert time.monotonic() - started < 5
    assert response.status_code == 503
    assert response.json()["checks"]["storage"]["error"] == "EndpointConnectionError"


def test_it_answers_503_within_seconds_when_the_database_is_unreachable():
    from tests.fixtures.appserver import free_port

    closed = free_port()
    env = production_env(
        DATABASE_URL=f"postgres://postgres@127.0.0.1:{closed}/dentallab",
        DJANGO_SECURE_SSL_REDIRECT="1",
        SITE_URL="http://127.0.0.1",
    )
    with run_gunicorn(env) as base:
        started = time.monotonic()
        status, headers, body = http_get(f"{base}/api/health")
        elapsed = time.monotonic() - started
    assert status == 503  # and not a redirect to HTTPS: health is exempt
    payload = json.loads(body)
    assert payload["status"] == "error"
    assert payload["checks"]["database"]["error"] == "OperationalError"
    assert "database" in payload["failing"] and "migrations" in payload["failing"]
    assert elapsed < 5
    assert "postgres://" not in body.decode()

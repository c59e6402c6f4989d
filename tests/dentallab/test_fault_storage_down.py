"""The S3/R2 endpoint goes down: uploads fail fast with a clear message, nothing is half-saved
(no available file, no timeline event, no object), health says 503 naming storage; when the
endpoint is back, the same upload works."""

import json
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from dentallab.storage_config import r2_storage
from tests.factories import CaseFactory, TechnicianFactory
from tests.fixtures.appserver import free_port
from tests.fixtures.s3 import S3_ACCESS_KEY, S3_SECRET_KEY

pytest.importorskip("files.api", reason="the files app's endpoints are not on this branch")

from cases.models import EventKind, TimelineEvent  # noqa: E402
from files.models import CaseFile, FileState  # noqa: E402
from tests.files import samples  # noqa: E402

pytestmark = pytest.mark.django_db


@pytest.fixture
def storage_down(s3_bucket, settings):
    """Point the app's storage at a loopback port where nothing listens; give it back after."""
    up = settings.STORAGES["default"]

    def set_endpoint(endpoint):
        settings.STORAGES = {
            **settings.STORAGES,
            "default": r2_storage(
                bucket=s3_bucket["name"], endpoint=endpoint, access_key=S3_ACCESS_KEY, secret_key=S3_SECRET_KEY
            ),
        }

    set_endpoint(f"http://127.0.0.1:{free_port()}")
    yield lambda: settings.__setattr__("STORAGES", {**settings.STORAGES, "default": up})


@pytest.fixture
def technician():
    client = Client(raise_request_exception=False)
    client.force_login(TechnicianFactory())
    return client


def objects(bucket):
    return bucket["client"].list_objects_v2(Bucket=bucket["name"]).get("Contents", [])


def test_an_upload_through_the_app_fails_fast_and_clearly_and_saves_nothing(technician, storage_down, s3_bucket):
    case = CaseFactory()
    started = time.monotonic()
    response = technician.post(
        f"/api/cases/{case.pk}/files/", {"file": SimpleUploadedFile("crown.stl", samples.binary_stl(4)), "kind": ""}
    )
    assert time.monotonic() - started < 15
    assert 500 <= response.status_code < 600 and response.status_code != 500, response.content
    body = response.json()
    text = json.dumps(body).lower()
    assert "storage" in text or "unavailable" in text or "try again" in text, body
    assert "test-secret-key" not in text and "127.0.0.1" not in text
    assert not CaseFile.objects.exists()  # no row at all, not even a pending one
    assert not TimelineEvent.objects.filter(case=case, kind=EventKind.FILE_UPLOADED).exists()
    assert objects(s3_bucket) == []

    health = technician.get("/api/health")
    assert health.status_code == 503 and health.json()["failing"] == ["storage"]

    storage_down()  # the endpoint is back: the same upload works, without a restart
    response = technician.post(
        f"/api/cases/{case.pk}/files/", {"file": SimpleUploadedFile("crown.stl", samples.binary_stl(4)), "kind": ""}
    )
    assert response.status_code == 201, response.content
    assert len(objects(s3_bucket)) == 1


def test_completing_a_direct_upload_while_storage_is_down_leaves_it_pending(technician, storage_down, s3_bucket):
    case = CaseFactory()
    plan = technician.post(
        f"/api/cases/{case.pk}/uploads/",
        json.dumps({"name": "crown.stl", "size": 184, "content_type": "application/octet-stream", "kind": ""}),
        content_type="application/json",
    )
    if plan.status_code != 201:  # planning may itself need the store (multipart): then it must say so
        assert 500 < plan.status_code < 600 and plan.status_code != 500, plan.content
        assert not CaseFile.objects.filter(state=FileState.AVAILABLE).exists()
        return
    file_id = plan.json()["file_id"]
    response = technician.post(f"/api/files/{file_id}/complete/", "{}", content_type="application/json")
    assert 500 < response.status_code < 600 or response.status_code in (400, 409), response.content
    assert CaseFile.objects.get(pk=file_id).state == FileState.PENDING
    assert not TimelineEvent.objects.filter(case=case, kind=EventKind.FILE_UPLOADED).exists()

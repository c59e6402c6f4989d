"""`complete` never talks to storage inside a database transaction or under a row lock (issue 10,
defect 3): it claims the upload with a conditional UPDATE (pending → checking), checks the object
outside any transaction, and finishes in one short transaction. Against the real moto server over
HTTP; the S3 requests are observed through botocore's own event hooks, nothing is patched."""

import json
import threading

import pytest
from django.core.files.storage import storages
from django.db import connection
from django.test import Client

from accounts.audit import AuditAction, AuditEvent
from cases.models import EventKind, TimelineEvent
from dentallab.storage_config import r2_client_config, r2_storage
from files.models import CaseFile, FileState
from files.storage import MiB
from tests.factories import CaseFactory, DentistFactory
from tests.files import samples
from tests.files.http import put
from tests.fixtures.appserver import free_port
from tests.fixtures.s3 import S3_ACCESS_KEY, S3_SECRET_KEY

# Committed transactions: a test transaction around everything would hide what complete opens.
pytestmark = pytest.mark.django_db(transaction=True)


def plan(client, case, name, size):
    body = {"name": name, "size": size, "content_type": "application/octet-stream", "kind": ""}
    return client.post(f"/api/cases/{case.pk}/uploads/", json.dumps(body), content_type="application/json")


def complete(client, file_id, parts=None):
    body = {"parts": parts} if parts is not None else {}
    return client.post(f"/api/files/{file_id}/complete/", json.dumps(body), content_type="application/json")


def on_s3_call(callback):
    """Call `callback(operation_name)` before every S3 request this thread's storage client sends."""
    client = storages["default"].connection.meta.client
    client.meta.events.register("before-call.s3", lambda model, **kwargs: callback(model.name))


@pytest.fixture
def uploader(s3_bucket):
    dentist = DentistFactory()
    client = Client()
    client.force_login(dentist)
    return dentist, client, CaseFactory(dentist=dentist)


def test_no_transaction_is_open_while_complete_talks_to_storage(uploader, settings):
    settings.FILE_MULTIPART_THRESHOLD = 1024
    settings.FILE_MULTIPART_PART_SIZE = 5 * MiB
    _, client, case = uploader
    data = samples.binary_stl(100)
    body = plan(client, case, "crown.stl", len(data)).json()
    _, headers, _ = put(body["parts"][0]["url"], data)
    calls = []
    on_s3_call(lambda name: calls.append((name, connection.in_atomic_block)))

    response = complete(client, body["file_id"], [{"part_number": 1, "etag": headers["etag"]}])

    assert response.status_code == 200, response.content
    names = [name for name, _ in calls]
    assert {"ListParts", "CompleteMultipartUpload", "HeadObject", "GetObject"} <= set(names), names
    assert [name for name, in_transaction in calls if in_transaction] == [], calls
    assert CaseFile.objects.get(pk=body["file_id"]).state == FileState.AVAILABLE


def test_a_refused_upload_is_discarded_without_a_transaction_around_the_deletes(uploader):
    _, client, case = uploader
    body = plan(client, case, "crown.stl", len(samples.PDF)).json()
    put(body["url"], samples.PDF, headers=body["headers"])
    calls = []
    on_s3_call(lambda name: calls.append((name, connection.in_atomic_block)))

    response = complete(client, body["file_id"])

    assert response.status_code == 400 and "not an STL file" in response.json()["detail"]
    assert "DeleteObject" in [name for name, _ in calls]
    assert [name for name, in_transaction in calls if in_transaction] == [], calls
    assert not CaseFile.objects.exists()


def test_two_completes_at_once_give_one_success_and_one_409_without_waiting(uploader):
    dentist, client, case = uploader
    data = samples.binary_stl(20)
    body = plan(client, case, "crown.stl", len(data)).json()
    put(body["url"], data, headers=body["headers"])
    second = {}

    def complete_again():
        other = Client()
        other.force_login(dentist)
        try:
            response = complete(other, body["file_id"])
            second.update(status=response.status_code, body=response.json())
        finally:
            connection.close()

    def while_the_first_checks(name):
        # The first complete is talking to storage: a second one must be answered at once (409),
        # not wait on a row lock until the first is done.
        if name == "HeadObject" and not second:
            thread = threading.Thread(target=complete_again)
            thread.start()
            thread.join(timeout=5)
            second["answered_while_the_first_checked"] = not thread.is_alive()

    on_s3_call(while_the_first_checks)
    first = complete(client, body["file_id"])

    assert first.status_code == 200, first.content
    assert second["answered_while_the_first_checked"], "the second complete waited for the first (a row lock?)"
    assert second["status"] == 409, second
    assert second["body"]["code"] == "upload_in_progress"
    assert "already being completed" in second["body"]["message"]
    assert CaseFile.objects.get(pk=body["file_id"]).state == FileState.AVAILABLE
    assert TimelineEvent.objects.filter(case=case, kind=EventKind.FILE_UPLOADED).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.FILE_UPLOADED).count() == 1


def storage_down(bucket) -> dict:
    """The storage settings of a bucket whose endpoint is a loopback port where nothing listens."""
    down = r2_storage(
        bucket=bucket["name"],
        endpoint=f"http://127.0.0.1:{free_port()}",
        access_key=S3_ACCESS_KEY,
        secret_key=S3_SECRET_KEY,
    )
    down["OPTIONS"]["client_config"] = r2_client_config(connect_timeout=1, max_attempts=1)
    return down


def test_storage_failing_leaves_the_upload_pending_with_the_reason_and_a_retry_works(uploader, s3_bucket, settings):
    _, client, case = uploader
    data = samples.binary_stl(20)
    body = plan(client, case, "crown.stl", len(data)).json()
    put(body["url"], data, headers=body["headers"])
    up = settings.STORAGES["default"]
    settings.STORAGES = {**settings.STORAGES, "default": storage_down(s3_bucket)}

    response = complete(client, body["file_id"])

    assert response.status_code == 503, response.content
    assert response.json()["code"] == "service_unavailable"
    assert "complete it again" in response.json()["message"]
    file = CaseFile.objects.get(pk=body["file_id"])
    assert file.state == FileState.PENDING and file.checking_since is None
    assert "EndpointConnectionError" in file.check_error
    assert not TimelineEvent.objects.filter(case=case, kind=EventKind.FILE_UPLOADED).exists()

    settings.STORAGES = {**settings.STORAGES, "default": up}
    response = complete(client, body["file_id"])
    assert response.status_code == 200, response.content
    file.refresh_from_db()
    assert (file.state, file.check_error) == (FileState.AVAILABLE, "")


def test_a_multipart_upload_assembled_before_storage_failed_is_only_checked_on_retry(uploader, s3_bucket, settings):
    settings.FILE_MULTIPART_THRESHOLD = 1024
    settings.FILE_MULTIPART_PART_SIZE = 5 * MiB
    _, client, case = uploader
    data = samples.binary_stl(100)
    body = plan(client, case, "crown.stl", len(data)).json()
    _, headers, _ = put(body["parts"][0]["url"], data)
    parts = [{"part_number": 1, "etag": headers["etag"]}]
    up = settings.STORAGES["default"]

    # The parts are assembled; then the endpoint goes away before the HEAD.
    client_s3 = storages["default"].connection.meta.client
    client_s3.meta.events.register(
        "after-call.s3.CompleteMultipartUpload",
        lambda **kwargs: setattr(settings, "STORAGES", {**settings.STORAGES, "default": storage_down(s3_bucket)}),
    )
    response = complete(client, body["file_id"], parts)
    assert response.status_code == 503, response.content
    file = CaseFile.objects.get(pk=body["file_id"])
    assert (file.state, file.upload_id) == (FileState.PENDING, "")

    settings.STORAGES = {**settings.STORAGES, "default": up}
    response = complete(client, body["file_id"], parts)
    assert response.status_code == 200, response.content
    head = s3_bucket["client"].head_object(Bucket=s3_bucket["name"], Key=file.object_key)
    assert head["ContentLength"] == len(data)


def test_a_claim_left_by_a_dead_complete_is_taken_over_after_a_while(uploader):
    import datetime

    from django.utils import timezone

    _, client, case = uploader
    data = samples.binary_stl(20)
    body = plan(client, case, "crown.stl", len(data)).json()
    put(body["url"], data, headers=body["headers"])
    CaseFile.objects.filter(pk=body["file_id"]).update(state=FileState.CHECKING, checking_since=timezone.now())
    assert complete(client, body["file_id"]).status_code == 409
    CaseFile.objects.filter(pk=body["file_id"]).update(checking_since=timezone.now() - datetime.timedelta(hours=1))
    assert complete(client, body["file_id"]).status_code == 200


def test_a_file_being_checked_cannot_be_deleted_meanwhile(uploader):
    from django.utils import timezone

    _, client, case = uploader
    body = plan(client, case, "crown.stl", 184).json()
    CaseFile.objects.filter(pk=body["file_id"]).update(state=FileState.CHECKING, checking_since=timezone.now())
    response = client.delete(f"/api/files/{body['file_id']}/")
    assert response.status_code == 409 and response.json()["code"] == "upload_in_progress"

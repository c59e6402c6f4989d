"""Browser-style direct uploads to the bucket: plan → PUT (or parts) over plain HTTP → complete."""

import json

import pytest
from django.core.files.storage import storages

from accounts.audit import AuditAction, AuditEvent
from cases.models import EventKind, TimelineEvent
from files.models import CaseFile, FileState
from files.storage import MiB
from tests.files import samples
from tests.files.http import get, put


def plan(client, case, name, size, kind=""):
    return client.post(
        f"/api/cases/{case.pk}/uploads/",
        json.dumps({"name": name, "size": size, "content_type": "application/octet-stream", "kind": kind}),
        content_type="application/json",
    )


def complete(client, file_id, parts=None):
    body = {"parts": parts} if parts is not None else {}
    return client.post(f"/api/files/{file_id}/complete/", json.dumps(body), content_type="application/json")


def objects(bucket):
    return [o["Key"] for o in bucket["client"].list_objects_v2(Bucket=bucket["name"]).get("Contents", [])]


@pytest.fixture
def ranges(s3_bucket):
    """The Range header of every GetObject the app sends."""
    seen = []
    client = storages["default"].connection.meta.client
    client.meta.events.register(
        "before-send.s3.GetObject",
        lambda request, **kwargs: seen.append((request.headers.get("Range") or b"").decode() or None),
    )
    return seen


def test_a_small_file_goes_up_with_one_presigned_put_and_becomes_available(
    s3_bucket, case, dentist, client_for, ranges
):
    client = client_for(dentist)
    data = samples.binary_stl(40)
    response = plan(client, case, "Upper jaw.stl", len(data))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["method"] == "PUT" and set(body) == {"file_id", "method", "url", "headers"}
    assert CaseFile.objects.get(pk=body["file_id"]).state == FileState.PENDING

    status, headers, _ = put(body["url"], data, headers=body["headers"])
    assert status == 200 and headers["etag"]

    response = complete(client, body["file_id"])
    assert response.status_code == 200, response.content
    assert response.json()["state"] == "available"
    file = CaseFile.objects.get(pk=body["file_id"])
    assert (file.state, file.size, file.kind, file.content_type) == ("available", len(data), "scan", "model/stl")
    assert file.object_key.startswith(f"cases/{case.pk}/") and file.object_key.endswith("/Upper-jaw.stl")
    assert objects(s3_bucket) == [file.object_key]
    assert ranges and all(r and r.startswith("bytes=") for r in ranges), "complete must only read ranges"
    event = TimelineEvent.objects.get(case=case, kind=EventKind.FILE_UPLOADED)
    assert not event.internal and "Upper jaw.stl" in event.body
    audit = AuditEvent.objects.get(action=AuditAction.FILE_UPLOADED)
    assert (audit.actor, audit.case_id, audit.object_id) == (dentist, case.pk, str(file.pk))


def test_a_big_file_goes_up_in_parts_with_etags_and_is_assembled(s3_bucket, case, technician, client_for, settings):
    settings.FILE_MULTIPART_THRESHOLD = 6 * MiB
    settings.FILE_MULTIPART_PART_SIZE = 5 * MiB
    triangles = (12 * MiB) // 50
    size = samples.binary_stl_size(triangles)
    client = client_for(technician)
    body = plan(client, case, "arch.stl", size).json()
    assert set(body) == {"file_id", "upload_id", "part_size", "parts"}
    assert body["part_size"] == 5 * MiB and [p["part_number"] for p in body["parts"]] == [1, 2, 3]

    data = b"".join(samples.binary_stl_chunks(triangles))
    etags = []
    for part in body["parts"]:
        start = (part["part_number"] - 1) * body["part_size"]
        status, headers, _ = put(part["url"], data[start : start + part["size"]])
        assert status == 200
        etags.append({"part_number": part["part_number"], "etag": headers["etag"]})

    response = complete(client, body["file_id"], etags)
    assert response.status_code == 200, response.content
    file = CaseFile.objects.get(pk=body["file_id"])
    assert (file.state, file.upload_id, file.size) == ("available", "", size)
    head = s3_bucket["client"].head_object(Bucket=s3_bucket["name"], Key=file.object_key)
    assert head["ContentLength"] == size
    assert s3_bucket["client"].list_multipart_uploads(Bucket=s3_bucket["name"]).get("Uploads", []) == []


def test_complete_with_a_wrong_size_is_refused_and_leaves_nothing_behind(s3_bucket, case, dentist, client_for):
    client = client_for(dentist)
    data = samples.binary_stl(40)
    body = plan(client, case, "crown.stl", len(data) + 50).json()
    # moto does not enforce the signed Content-Length (R2 does): the app must catch it at complete.
    put(body["url"], data, headers=body["headers"])
    response = complete(client, body["file_id"])
    assert response.status_code == 400
    assert response.json()["errors"]["size"] == [
        f"“crown.stl” was not accepted: {len(data)} bytes arrived but {len(data) + 50} were declared."
    ]
    assert not CaseFile.objects.exists()
    assert objects(s3_bucket) == []
    rejected = AuditEvent.objects.get(action=AuditAction.FILE_REJECTED)
    assert rejected.outcome == "failure" and "crown" not in json.dumps(rejected.detail)


def test_complete_sniffs_the_content_and_refuses_a_disguised_file(s3_bucket, case, dentist, client_for):
    client = client_for(dentist)
    body = plan(client, case, "crown.stl", len(samples.PDF)).json()
    put(body["url"], samples.PDF, headers=body["headers"])
    response = complete(client, body["file_id"])
    assert response.status_code == 400
    assert "not an STL file" in response.json()["detail"]
    assert not CaseFile.objects.exists() and objects(s3_bucket) == []


def test_complete_before_anything_was_uploaded_is_refused(s3_bucket, case, dentist, client_for):
    client = client_for(dentist)
    body = plan(client, case, "crown.stl", 184).json()
    response = complete(client, body["file_id"])
    assert response.status_code == 400 and "nothing was uploaded" in response.json()["detail"]
    assert not CaseFile.objects.exists()


def test_complete_with_a_wrong_etag_aborts_the_multipart_upload(s3_bucket, case, dentist, client_for, settings):
    settings.FILE_MULTIPART_THRESHOLD = 1024
    settings.FILE_MULTIPART_PART_SIZE = 5 * MiB
    client = client_for(dentist)
    data = samples.binary_stl(100)
    body = plan(client, case, "crown.stl", len(data)).json()
    put(body["parts"][0]["url"], data)
    response = complete(client, body["file_id"], [{"part_number": 1, "etag": '"0000"'}])
    assert response.status_code == 400 and "ETag" in response.json()["detail"]
    assert not CaseFile.objects.exists()
    assert s3_bucket["client"].list_multipart_uploads(Bucket=s3_bucket["name"]).get("Uploads", []) == []


def test_complete_with_missing_parts_is_refused(s3_bucket, case, dentist, client_for, settings):
    settings.FILE_MULTIPART_THRESHOLD = 1024
    settings.FILE_MULTIPART_PART_SIZE = 5 * MiB
    client = client_for(dentist)
    size = samples.binary_stl_size(150_000)
    body = plan(client, case, "crown.stl", size).json()
    assert len(body["parts"]) == 2
    response = complete(client, body["file_id"], [])
    assert response.status_code == 400 and "0 of 2 parts arrived" in response.json()["detail"]


def test_only_the_uploader_completes_and_only_once(s3_bucket, case, dentist, technician, client_for):
    client = client_for(dentist)
    data = samples.binary_stl(2)
    body = plan(client, case, "crown.stl", len(data)).json()
    put(body["url"], data, headers=body["headers"])
    assert complete(client_for(technician), body["file_id"]).status_code == 403
    assert complete(client, body["file_id"]).status_code == 200
    assert complete(client, body["file_id"]).status_code == 409


def test_another_practice_can_neither_plan_nor_complete(s3_bucket, case, dentist, other_dentist, client_for):
    other = client_for(other_dentist)
    assert plan(other, case, "crown.stl", 184).status_code == 404
    body = plan(client_for(dentist), case, "crown.stl", 184).json()
    assert complete(other, body["file_id"]).status_code == 404


def test_a_refused_plan_leaves_no_row_and_is_audited(s3_bucket, case, dentist, client_for):
    response = plan(client_for(dentist), case, "setup.exe", 1000)
    assert response.status_code == 400
    assert "“setup.exe” was not accepted" in response.json()["errors"]["name"][0]
    assert not CaseFile.objects.exists()
    assert AuditEvent.objects.filter(action=AuditAction.FILE_REJECTED, case_id=case.pk).count() == 1


def test_a_declared_size_over_the_limit_is_refused_before_anything_is_stored(s3_bucket, case, dentist, client_for):
    response = plan(client_for(dentist), case, "crown.stl", 600 * 1000 * 1000)
    assert response.status_code == 413
    assert "the limit is 500.0\xa0MB" in response.json()["errors"]["size"][0]
    assert not CaseFile.objects.exists()


def test_a_plan_needs_a_name_and_a_whole_size(s3_bucket, case, dentist, client_for):
    client = client_for(dentist)
    response = client.post(f"/api/cases/{case.pk}/uploads/", {"size": "lots"}, content_type="application/json")
    assert response.status_code == 400 and set(response.json()["errors"]) == {"name", "size"}


def test_the_download_redirect_serves_the_bytes_from_the_bucket(s3_bucket, case, dentist, technician, client_for):
    client = client_for(dentist)
    data = samples.binary_stl(3)
    body = plan(client, case, "crown.stl", len(data)).json()
    put(body["url"], data, headers=body["headers"])
    complete(client, body["file_id"])
    response = client_for(technician).get(f"/api/files/{body['file_id']}/download/")
    assert response.status_code == 302
    assert response["Location"].startswith(s3_bucket["endpoint"])
    status, headers, fetched = get(response["Location"])
    assert (status, fetched) == (200, data)
    assert headers["content-disposition"].startswith("attachment;")


def test_a_zip_with_a_traversal_path_is_caught_at_complete_from_ranged_reads(
    s3_bucket, case, dentist, client_for, ranges
):
    archive = samples.zip_archive({"scan/upper.stl": samples.binary_stl(), "../../etc/evil.stl": b"x"})
    client = client_for(dentist)
    body = plan(client, case, "export.zip", len(archive)).json()
    put(body["url"], archive, headers=body["headers"])
    response = complete(client, body["file_id"])
    assert response.status_code == 400 and "unsafe path" in response.json()["detail"]
    assert not CaseFile.objects.exists() and objects(s3_bucket) == []
    assert ranges and all(ranges)


def test_presigned_urls_never_reach_the_logs(s3_bucket, case, dentist, client_for, caplog, settings):
    settings.FILE_MULTIPART_THRESHOLD = 1024
    caplog.set_level("DEBUG")
    client = client_for(dentist)
    data = samples.binary_stl(100)
    body = plan(client, case, "crown.stl", len(data)).json()
    status, headers, _ = put(body["parts"][0]["url"], data)
    complete(client, body["file_id"], [{"part_number": 1, "etag": headers["etag"]}])
    client.get(f"/api/files/{body['file_id']}/download/")
    ours = [r for r in caplog.records if not r.name.startswith(("werkzeug", "botocore", "urllib3", "s3transfer"))]
    assert not [r for r in ours if "X-Amz-Signature" in r.getMessage()]

"""Uploads through the app (no bucket, or small files): streamed to a temporary file, checked,
then stored; a refused upload leaves no row and no file."""

import hashlib
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.audit import AuditAction, AuditEvent
from cases.models import EventKind, TimelineEvent
from files.api import LimitedTemporaryFileUploadHandler
from files.models import CaseFile
from tests.factories import CaseFileFactory
from tests.files import samples


def upload(client, case, name, data, kind=""):
    return client.post(f"/api/cases/{case.pk}/files/", {"file": SimpleUploadedFile(name, data), "kind": kind})


def stored_files(settings):
    return [os.path.join(d, f) for d, _, files in os.walk(settings.MEDIA_ROOT) for f in files]


def test_a_file_posted_to_the_app_is_stored_with_its_sha256(case, dentist, client_for, settings):
    data = samples.binary_stl(10)
    response = upload(client_for(dentist), case, "Lower jaw.stl", data)
    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["name"], body["kind"], body["size"], body["state"]) == (
        "Lower jaw.stl",
        "scan",
        len(data),
        "available",
    )
    assert body["sha256"] == hashlib.sha256(data).hexdigest()
    assert body["uploaded_by"] == {"id": dentist.pk, "name": dentist.name}
    file = CaseFile.objects.get()
    with open(os.path.join(settings.MEDIA_ROOT, file.object_key), "rb") as fh:
        assert fh.read() == data
    assert TimelineEvent.objects.filter(case=case, kind=EventKind.FILE_UPLOADED, internal=False).count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.FILE_UPLOADED, actor=dentist, case_id=case.pk).count() == 1


@pytest.mark.parametrize("name", sorted(samples.VALID))
def test_every_accepted_type_can_be_posted(name, case, technician, client_for):
    assert upload(client_for(technician), case, name, samples.VALID[name], kind="other").status_code == 201


@pytest.mark.parametrize(
    ("name", "data", "field", "reason"),
    [
        ("crown.stl", samples.PDF, "file", "not an STL file"),
        ("photo.jpg", samples.PNG, "file", "not a JPEG"),
        ("crown.stl", b"", "file", "empty"),
        ("notes.txt", b"hello", "name", "“.txt” are not accepted"),
        ("bomb.zip", samples.zip_archive({"../x.stl": b"x"}), "file", "unsafe path"),
    ],
)
def test_a_refused_post_leaves_no_row_and_no_file(name, data, field, reason, case, dentist, client_for, settings):
    response = upload(client_for(dentist), case, name, data)
    assert response.status_code == 400, response.content
    assert reason in response.json()["errors"][field][0]
    assert f"“{name}” was not accepted" in response.json()["detail"]
    assert not CaseFile.objects.exists()
    assert stored_files(settings) == []
    assert AuditEvent.objects.filter(action=AuditAction.FILE_REJECTED, outcome="failure").count() == 1


def test_a_traversal_name_in_the_multipart_body_never_reaches_the_disk(case, dentist, client_for, settings):
    body = (
        b'--BOUNDARY\r\nContent-Disposition: form-data; name="file"; filename="..\\\\..\\\\crown.stl"\r\n'
        b"Content-Type: model/stl\r\n\r\n" + samples.binary_stl(2) + b"\r\n--BOUNDARY--\r\n"
    )
    response = client_for(dentist).generic(
        "POST", f"/api/cases/{case.pk}/files/", body, content_type="multipart/form-data; boundary=BOUNDARY"
    )
    # Django keeps only the base name; whatever arrives is checked again by our rules.
    assert response.status_code in (201, 400)
    for path in stored_files(settings):
        assert os.path.realpath(path).startswith(os.path.realpath(settings.MEDIA_ROOT))
    if response.status_code == 201:
        assert "/" not in response.json()["name"] and "\\" not in response.json()["name"]


def test_a_body_over_the_limit_is_refused_before_it_is_read(case, dentist, client_for, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 1000
    response = upload(client_for(dentist), case, "crown.stl", samples.binary_stl(2000))
    assert response.status_code == 413
    assert "the limit is 1000\xa0bytes" in response.json()["detail"]
    assert not CaseFile.objects.exists() and stored_files(settings) == []


def test_bytes_over_the_limit_stop_the_upload_while_receiving(case, dentist, client_for, settings):
    settings.FILE_UPLOAD_MAX_BYTES = 1000  # the body (2 KB) is within the envelope slack
    response = upload(client_for(dentist), case, "crown.stl", samples.binary_stl(40))
    assert response.status_code == 413
    assert not CaseFile.objects.exists() and stored_files(settings) == []


def test_direct_only_deployments_refuse_app_uploads_over_4_mb(case, dentist, client_for, settings):
    settings.UPLOADS_DIRECT_ONLY = True
    response = upload(client_for(dentist), case, "arch.stl", samples.binary_stl(90_000))
    assert response.status_code == 413
    assert "must go straight to storage" in response.json()["detail"]
    assert upload(client_for(dentist), case, "crown.stl", samples.binary_stl(10)).status_code == 201


def test_without_a_bucket_the_plan_says_post_to_the_app(case, dentist, client_for):
    response = client_for(dentist).post(
        f"/api/cases/{case.pk}/uploads/",
        {"name": "crown.stl", "size": 184, "kind": ""},
        content_type="application/json",
    )
    assert response.status_code == 201
    assert response.json() == {
        "file_id": None,
        "method": "POST",
        "url": f"/api/cases/{case.pk}/files/",
        "field": "file",
        "fields": {"kind": "scan"},
    }
    assert not CaseFile.objects.exists()


def test_the_upload_handler_writes_to_a_temporary_file_even_for_small_uploads():
    handler = LimitedTemporaryFileUploadHandler(limit=100)
    handler.new_file("file", "crown.stl", "model/stl", None)
    handler.receive_data_chunk(b"x" * 10, 0)
    uploaded = handler.file_complete(10)
    assert hasattr(uploaded, "temporary_file_path")
    assert uploaded.sha256 == hashlib.sha256(b"x" * 10).hexdigest()
    uploaded.close()


def test_another_practice_cannot_post_or_list(case, other_dentist, client_for):
    client = client_for(other_dentist)
    assert upload(client, case, "crown.stl", samples.binary_stl(2)).status_code == 404
    assert client.get(f"/api/cases/{case.pk}/files/").status_code == 404


def test_signed_out_callers_are_refused(case, client):
    assert upload(client, case, "crown.stl", samples.binary_stl(2)).status_code in (401, 403)
    assert client.get(f"/api/cases/{case.pk}/files/").status_code in (401, 403)


def test_the_list_shows_available_files_only_within_its_query_budget(
    case, technician, client_for, django_assert_max_num_queries
):
    CaseFileFactory.create_batch(5, case=case)
    CaseFileFactory(case=case, state="pending")
    client = client_for(technician)
    with django_assert_max_num_queries(6):  # … and the audited view of the case
        response = client.get(f"/api/cases/{case.pk}/files/?page_size=3")
    body = response.json()
    assert body["count"] == 5 and len(body["results"]) == 3 and body["next"]


def test_direct_only_without_a_bucket_refuses_to_plan_big_files(case, dentist, client_for, settings):
    settings.UPLOADS_DIRECT_ONLY = True
    response = client_for(dentist).post(
        f"/api/cases/{case.pk}/uploads/", {"name": "arch.stl", "size": 5 * 1024 * 1024}, content_type="application/json"
    )
    assert response.status_code == 413
    assert "must go straight to storage" in response.json()["errors"]["size"][0]

"""manage.py cleanup_uploads: abandoned pending uploads go, recent and finished ones stay."""

import datetime
import io
import json

from django.core.management import call_command
from django.utils import timezone

from files.models import CaseFile
from files.storage import MiB
from tests.files import samples
from tests.files.http import put


def plan(client, case, name, size):
    response = client.post(
        f"/api/cases/{case.pk}/uploads/", json.dumps({"name": name, "size": size}), content_type="application/json"
    )
    assert response.status_code == 201
    return response.json()


def age(file_id, hours):
    CaseFile.objects.filter(pk=file_id).update(created_at=timezone.now() - datetime.timedelta(hours=hours))


def run(*args):
    out = io.StringIO()
    call_command("cleanup_uploads", *args, stdout=out)
    return out.getvalue()


def test_stale_pending_uploads_lose_rows_objects_and_parts(s3_bucket, case, dentist, client_for, settings):
    settings.FILE_MULTIPART_THRESHOLD = 1024
    settings.FILE_MULTIPART_PART_SIZE = 5 * MiB
    client = client_for(dentist)
    small = samples.binary_stl(2)
    settings.FILE_MULTIPART_THRESHOLD = 10 * MiB
    stale_put = plan(client, case, "a.stl", len(small))
    put(stale_put["url"], small, headers=stale_put["headers"])  # uploaded but never completed
    settings.FILE_MULTIPART_THRESHOLD = 1024
    stale_multi = plan(client, case, "b.stl", samples.binary_stl_size(200))
    put(stale_multi["parts"][0]["url"], samples.binary_stl(200))
    fresh = plan(client, case, "c.stl", samples.binary_stl_size(200))
    age(stale_put["file_id"], 30)
    age(stale_multi["file_id"], 25)
    bucket, s3 = s3_bucket["name"], s3_bucket["client"]

    dry = run("--dry-run")
    assert dry.startswith("Would remove 2 pending upload(s) older than 24 h: 1 object(s), 1 unfinished multipart")
    assert CaseFile.objects.count() == 3

    out = run()
    assert out.startswith("Removed 2 pending upload(s) older than 24 h: 1 object(s), 1 unfinished multipart upload(s)")
    assert list(CaseFile.objects.values_list("pk", flat=True)) == [fresh["file_id"]]
    assert s3.list_objects_v2(Bucket=bucket).get("KeyCount", 0) == 0
    uploads = s3.list_multipart_uploads(Bucket=bucket).get("Uploads", [])
    assert [u["UploadId"] for u in uploads] == [fresh["upload_id"]]


def test_multipart_uploads_no_row_knows_about_are_aborted(s3_bucket, case, dentist, client_for):
    # moto reports every upload as initiated in 2010, so the age rule itself is not exercised here.
    s3, bucket = s3_bucket["client"], s3_bucket["name"]
    s3.create_multipart_upload(Bucket=bucket, Key="cases/1/orphan/x.stl")
    assert "1 multipart upload(s) no file row knew about" in run("--dry-run")
    assert "1 multipart upload(s) no file row knew about" in run()
    assert s3.list_multipart_uploads(Bucket=bucket).get("Uploads", []) == []


def test_available_files_are_never_touched(case, technician, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client_for(technician).post(
        f"/api/cases/{case.pk}/files/", {"file": SimpleUploadedFile("crown.stl", samples.binary_stl(2))}
    )
    CaseFile.objects.update(created_at=timezone.now() - datetime.timedelta(days=30))
    assert run().startswith("Removed 0 pending upload(s)")
    assert CaseFile.objects.get().state == "available"


def test_an_upload_a_dead_complete_left_checking_is_cleaned_but_a_live_check_is_not(
    s3_bucket, case, dentist, client_for
):
    client = client_for(dentist)
    dead = plan(client, case, "dead.stl", 184)["file_id"]
    live = plan(client, case, "live.stl", 184)["file_id"]
    for file_id in (dead, live):
        age(file_id, 30)
    now = timezone.now()
    CaseFile.objects.filter(pk=dead).update(state="checking", checking_since=now - datetime.timedelta(hours=2))
    CaseFile.objects.filter(pk=live).update(state="checking", checking_since=now)

    assert run().startswith("Removed 1 pending upload(s)")
    assert list(CaseFile.objects.values_list("pk", flat=True)) == [live]

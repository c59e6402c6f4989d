"""Downloads are private: visibility first, then the record, then the bytes (or a short-lived URL)."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from accounts.audit import AuditAction, AuditEvent
from cases.models import EventKind, TimelineEvent
from tests.factories import CaseFileFactory
from tests.files import samples


@pytest.fixture
def stored(case):
    def make(name="crown.stl", data=None, **fields):
        data = samples.binary_stl(2) if data is None else data
        key = default_storage.save(f"cases/{case.pk}/k/{name}", ContentFile(data))
        return CaseFileFactory(case=case, original_name=name, object_key=key, size=len(data), **fields)

    return make


def test_lab_staff_download_streams_an_attachment_and_is_recorded(stored, technician, client_for):
    file = stored()
    response = client_for(technician).get(f"/api/files/{file.pk}/download/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == samples.binary_stl(2)
    assert response["Content-Disposition"] == 'attachment; filename="crown.stl"'
    assert response["Content-Type"] == "model/stl"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "sandbox" in response["Content-Security-Policy"]
    event = TimelineEvent.objects.get(kind=EventKind.FILE_DOWNLOADED)
    assert event.internal and event.actor == technician
    audit = AuditEvent.objects.get(action=AuditAction.FILE_DOWNLOADED)
    assert (audit.actor, audit.object_id, audit.detail) == (technician, str(file.pk), {"preview": False})


def test_the_dentist_of_the_case_downloads_but_never_sees_the_internal_record(stored, dentist, client_for):
    file = stored()
    assert client_for(dentist).get(f"/api/files/{file.pk}/download/").status_code == 200
    assert not TimelineEvent.objects.visible_to(dentist).filter(kind=EventKind.FILE_DOWNLOADED).exists()
    assert AuditEvent.objects.filter(action=AuditAction.FILE_DOWNLOADED, actor=dentist).count() == 1


def test_another_practice_gets_404_and_nothing_is_recorded(stored, other_dentist, client_for):
    file = stored()
    assert client_for(other_dentist).get(f"/api/files/{file.pk}/download/").status_code == 404
    assert not AuditEvent.objects.filter(action=AuditAction.FILE_DOWNLOADED).exists()


def test_pending_and_deleted_files_cannot_be_downloaded(stored, technician, client_for):
    from django.utils import timezone

    pending = stored(state="pending")
    deleted = stored(name="old.stl", state="deleted", deleted_at=timezone.now())
    client = client_for(technician)
    assert client.get(f"/api/files/{pending.pk}/download/").status_code == 404
    assert client.get(f"/api/files/{deleted.pk}/download/").status_code == 404


def test_signed_out_callers_are_refused(stored, client):
    assert client.get(f"/api/files/{stored().pk}/download/").status_code in (401, 403)


def test_a_preview_shows_images_inline_and_stays_off_the_timeline(stored, dentist, client_for):
    photo = stored(name="smile.jpg", data=samples.JPEG, content_type="image/jpeg", kind="photo")
    response = client_for(dentist).get(f"/api/files/{photo.pk}/download/?preview=1")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("inline")
    assert not TimelineEvent.objects.filter(kind=EventKind.FILE_DOWNLOADED).exists()
    assert AuditEvent.objects.get(action=AuditAction.FILE_DOWNLOADED).detail == {"preview": True}


def test_on_r2_the_download_redirects_to_a_short_lived_url_only_for_those_who_see_the_case(
    s3_bucket, stored, dentist, other_dentist, client_for
):
    file = stored()
    response = client_for(dentist).get(f"/api/files/{file.pk}/download/")
    assert response.status_code == 302
    assert "X-Amz-Expires=300" in response["Location"]
    assert response["Cache-Control"] == "private, no-store"
    assert client_for(other_dentist).get(f"/api/files/{file.pk}/download/").status_code == 404


def test_file_details_follow_the_same_visibility(stored, dentist, other_dentist, client_for):
    file = stored()
    assert client_for(dentist).get(f"/api/files/{file.pk}/").json()["name"] == "crown.stl"
    assert client_for(other_dentist).get(f"/api/files/{file.pk}/").status_code == 404

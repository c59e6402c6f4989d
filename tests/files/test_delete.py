"""Deleting is a soft delete on the timeline: the uploader before the lab has the case, or lab staff."""

import pytest

from accounts.audit import AuditAction, AuditEvent
from cases.models import EventKind, TimelineEvent
from files.models import CaseFile
from tests.factories import CaseFileFactory, DentistFactory


def delete(client, file):
    return client.delete(f"/api/files/{file.pk}/")


def test_the_uploader_deletes_before_the_case_is_received(case, dentist, client_for):
    file = CaseFileFactory(case=case, uploaded_by=dentist)
    assert delete(client_for(dentist), file).status_code == 204
    file.refresh_from_db()
    assert (file.state, file.deleted_by) == ("deleted", dentist) and file.deleted_at
    event = TimelineEvent.objects.get(kind=EventKind.FILE_DELETED)
    assert not event.internal and event.body == file.original_name
    assert AuditEvent.objects.filter(action=AuditAction.FILE_DELETED, object_id=str(file.pk)).count() == 1
    assert client_for(dentist).get(f"/api/cases/{case.pk}/files/").json()["results"] == []


@pytest.mark.parametrize("status", ["received", "in_design", "shipped"])
def test_the_uploader_cannot_delete_once_the_lab_has_the_case(status, case, dentist, client_for):
    case.status = status
    case.save()
    file = CaseFileFactory(case=case, uploaded_by=dentist)
    response = delete(client_for(dentist), file)
    assert response.status_code == 403
    assert "Only the lab" in response.json()["detail"]
    assert CaseFile.objects.get(pk=file.pk).state == "available"


def test_another_dentist_of_the_practice_cannot_delete_someone_elses_upload(case, dentist, client_for):
    colleague = DentistFactory(practice=dentist.practice)
    file = CaseFileFactory(case=case, uploaded_by=dentist)
    assert delete(client_for(colleague), file).status_code == 403


def test_another_practice_gets_404(case, other_dentist, client_for):
    assert delete(client_for(other_dentist), CaseFileFactory(case=case)).status_code == 404


def test_lab_staff_delete_any_file_at_any_time(case, technician, manager, client_for):
    case.status = "in_production"
    case.save()
    assert delete(client_for(technician), CaseFileFactory(case=case)).status_code == 204
    assert delete(client_for(manager), CaseFileFactory(case=case)).status_code == 204
    assert TimelineEvent.objects.filter(kind=EventKind.FILE_DELETED).count() == 2


def test_a_deleted_file_is_gone_for_a_second_delete(case, technician, client_for):
    file = CaseFileFactory(case=case)
    client = client_for(technician)
    assert delete(client, file).status_code == 204
    assert delete(client, file).status_code == 404

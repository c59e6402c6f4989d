"""One access helper pair for files (files.selectors), used by pages and API alike: a file the user
may not see, or that is gone, is 404; one they see but may not act on is 403."""

import pytest
from django.http import Http404
from django.utils import timezone

from files.exceptions import FileNotWritable
from files.selectors import get_file_for, get_file_for_write
from tests.factories import CaseFileFactory, DentistFactory


def test_get_file_for_reads_available_files_of_visible_cases_only(case, dentist, other_dentist, technician):
    file = CaseFileFactory(case=case)
    assert get_file_for(dentist, file.pk) == file
    assert get_file_for(technician, file.pk) == file
    with pytest.raises(Http404):
        get_file_for(other_dentist, file.pk)
    for state in ("pending", "checking"):
        with pytest.raises(Http404):
            get_file_for(dentist, CaseFileFactory(case=case, state=state).pk)
    deleted = CaseFileFactory(case=case, state="deleted", deleted_at=timezone.now())
    with pytest.raises(Http404):
        get_file_for(technician, deleted.pk)


def test_get_file_for_write_is_404_when_not_visible_and_403_when_not_yours(case, dentist, other_dentist, technician):
    file = CaseFileFactory(case=case, uploaded_by=dentist, state="pending")
    assert get_file_for_write(dentist, file.pk) == file
    assert get_file_for_write(technician, file.pk) == file
    with pytest.raises(Http404):
        get_file_for_write(other_dentist, file.pk)
    with pytest.raises(FileNotWritable) as refused:
        get_file_for_write(DentistFactory(practice=dentist.practice), file.pk)
    assert refused.value.status_code == 403
    deleted = CaseFileFactory(case=case, state="deleted", deleted_at=timezone.now())
    with pytest.raises(Http404):
        get_file_for_write(technician, deleted.pk)


def test_refusals_reach_the_api_in_the_one_error_shape(case, dentist, client_for):
    colleague = DentistFactory(practice=dentist.practice)
    file = CaseFileFactory(case=case, uploaded_by=dentist)
    response = client_for(colleague).delete(f"/api/files/{file.pk}/")
    assert response.status_code == 403
    body = response.json()
    assert set(body) == {"message", "detail", "code", "errors"} and body["code"] == "permission_denied"
    assert "uploaded this file, or the lab" in body["message"]


def test_the_files_list_uses_the_shared_pagination(case, technician, client_for):
    CaseFileFactory.create_batch(3, case=case)
    body = client_for(technician).get(f"/api/cases/{case.pk}/files/?page_size=500").json()
    assert set(body) == {"count", "next", "previous", "results"} and body["count"] == 3


def test_the_schema_describes_the_paginated_files_list_that_is_sent(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    ok = schema["paths"]["/api/cases/{case_id}/files/"]["get"]["responses"]["200"]
    assert ok["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/PaginatedCaseFileList"}
    page = schema["components"]["schemas"]["PaginatedCaseFileList"]["properties"]
    assert set(page) == {"count", "next", "previous", "results"}

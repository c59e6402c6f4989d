"""/cases/<id>/files/: the files panel on a page of its own, and the list fragment it reloads."""

from django.urls import reverse

from accounts.audit import AuditAction, AuditEvent
from tests.factories import CaseFileFactory


def test_the_page_shows_the_panel_with_the_cases_files(case, dentist, client_for, django_assert_max_num_queries):
    CaseFileFactory.create_batch(3, case=case, uploaded_by=dentist)
    CaseFileFactory(case=case, original_name="abandoned.stl", state="pending")
    client = client_for(dentist)
    url = reverse("files:case_files", args=[case.pk])
    assert url == f"/cases/{case.pk}/files/"
    with django_assert_max_num_queries(8):
        response = client.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert f"Files · {case.number}" in html
    assert f'href="/cases/{case.pk}/"' in html
    assert html.count('data-testid="file-row"') == 3
    assert "abandoned.stl" not in html
    assert 'id="files-config"' in html and "js/uploader.js" in html
    assert " onclick=" not in html and "style=" not in html


def test_delete_buttons_follow_the_rules(case, dentist, client_for):
    mine = CaseFileFactory(case=case, uploaded_by=dentist, original_name="mine.stl")
    CaseFileFactory(case=case, uploaded_by=None, original_name="lab.stl")
    html = client_for(dentist).get(reverse("files:case_files", args=[case.pk])).content.decode()
    assert html.count("data-delete-url") == 1 and f"/api/files/{mine.pk}/" in html


def test_another_practice_gets_404_and_signed_out_visitors_sign_in(case, other_dentist, client_for, client):
    url = reverse("files:case_files", args=[case.pk])
    assert client_for(other_dentist).get(url).status_code == 404
    assert client_for(other_dentist).get(reverse("files:case_files_list", args=[case.pk])).status_code == 404
    response = client.get(url)
    assert response.status_code == 302 and "/login/" in response["Location"]


def test_the_list_fragment_is_just_the_list(case, technician, client_for):
    CaseFileFactory(case=case, original_name="crown.stl")
    response = client_for(technician).get(reverse("files:case_files_list", args=[case.pk]))
    html = response.content.decode()
    assert "crown.stl" in html and "View 3D" in html and "<html" not in html


def viewed(case, user):
    return list(
        AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED, case_id=case.pk, actor=user).values_list(
            "detail", flat=True
        )
    )


def test_the_files_page_records_a_view_of_the_case_like_the_case_page(case, dentist, client_for):
    """Issue 10, defect 4: the page names the case's files, a read of patient data."""
    client_for(dentist).get(reverse("files:case_files", args=[case.pk]))
    assert viewed(case, dentist) == [{"via": "files"}]


def test_the_list_fragment_and_the_files_api_record_a_view_too(case, technician, client_for):
    client = client_for(technician)
    client.get(reverse("files:case_files_list", args=[case.pk]))
    client.get(f"/api/cases/{case.pk}/files/")
    assert sorted(d["via"] for d in viewed(case, technician)) == ["api_files", "files_list"]


def test_a_refused_read_records_no_view(case, other_dentist, client_for):
    client_for(other_dentist).get(reverse("files:case_files", args=[case.pk]))
    assert not AuditEvent.objects.filter(action=AuditAction.CASE_VIEWED).exists()

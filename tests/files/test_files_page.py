"""/cases/<id>/files/: the files panel on a page of its own, and the list fragment it reloads."""

from django.urls import reverse

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

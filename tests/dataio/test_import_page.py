"""The import page (DESIGN §18): template, upload, dry run with each row's outcome, confirm."""

import pytest

from accounts.models import Practice
from tests.dataio.helpers import csv_file, xlsx_file
from tests.factories import DentistFactory, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db

TEXT = "account_number,name,extra\nACC-1,Bright Smile,x\nACC-2,Riverside,y\n"


@pytest.fixture
def manager(client):
    client.force_login(ManagerFactory())


def test_the_dry_run_lists_every_row_then_confirm_saves(client, manager):
    response = client.post("/import/", {"kind": "practices", "file": csv_file(TEXT)})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-testid="dry-run"' in html and "Ignored columns (not used): extra" in html
    assert html.count(">create<") == 2
    assert not Practice.objects.exists()
    token = response.context["confirm"].initial["token"]
    saved = client.post("/import/confirm/", {"token": token}, follow=True)
    assert "2 created" in saved.content.decode()
    assert set(Practice.objects.values_list("account_number", flat=True)) == {"ACC-1", "ACC-2"}
    again = client.post("/import/confirm/", {"token": token}, follow=True)
    assert "no longer waiting" in again.content.decode()


def test_errors_show_next_to_the_row_and_no_confirm_button(client, manager):
    response = client.post("/import/", {"kind": "practices", "file": csv_file("account_number,name\nACC-1,\n")})
    html = response.content.decode()
    assert "A practice needs a name." in html and "import_confirm" not in html and response.context["confirm"] is None


def test_a_file_level_error_is_shown_next_to_the_file_field(client, manager):
    response = client.post("/import/", {"kind": "practices", "file": csv_file("email\na@b.test\n")})
    assert response.status_code == 400
    assert 'id="id_file-error"' in response.content.decode()


def test_templates_download_as_csv_and_xlsx(client, manager):
    csv_response = client.get("/import/products/template.csv")
    assert csv_response.content.decode().splitlines()[0] == "code,name,category,unit,price,turnaround_days"
    xlsx_response = client.get("/import/dentists/template.xlsx")
    assert xlsx_response.content[:4] == b"PK\x03\x04"


def test_the_xlsx_template_imports_as_is(client, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = client.get("/import/practices/template.xlsx").content
    response = client.post("/import/", {"kind": "practices", "file": SimpleUploadedFile("t.xlsx", data)})
    assert response.context["result"].ok


def test_a_named_sheet_is_read(client, manager):
    upload = xlsx_file({"A": [["x"]], "Practices": [["account_number", "name"], ["ACC-1", "One"]]})
    response = client.post("/import/", {"kind": "practices", "file": upload, "sheet": "Practices"})
    assert response.context["result"].count("create") == 1


@pytest.mark.parametrize("factory", [TechnicianFactory, DentistFactory])
def test_others_are_refused(client, db, factory):
    client.force_login(factory())
    assert client.get("/import/").status_code == 403
    assert client.get("/import/practices/template.csv").status_code == 403


def test_a_confirmation_after_the_file_expired_asks_for_it_again(client, manager):
    from django.core.cache import cache

    response = client.post("/import/", {"kind": "practices", "file": csv_file(TEXT)})
    token = response.context["confirm"].initial["token"]
    cache.clear()
    answer = client.post("/import/confirm/", {"token": token}, follow=True)
    assert "waited too long" in answer.content.decode() and not Practice.objects.exists()

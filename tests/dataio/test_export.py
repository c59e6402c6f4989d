"""GET /api/export/{kind}.csv and /api/export/all.zip (DESIGN §18), and the round trip: export →
import into an empty database → export again gives the same rows."""

import csv
import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Practice, User
from cases.models import Product
from tests.dataio.helpers import post_import
from tests.factories import (
    CaseFactory,
    CaseFileFactory,
    CaseItemFactory,
    DentistFactory,
    ManagerFactory,
    PracticeFactory,
    ProductFactory,
    TechnicianFactory,
)

pytestmark = pytest.mark.django_db


def _rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode("utf-8"))))


@pytest.fixture
def lab(client):
    manager = ManagerFactory()
    bright = PracticeFactory(
        account_number="ACC-1", name="Bright Smile", phone="+1 555 0100", address="1 Main St\nSpringfield"
    )
    river = PracticeFactory(account_number="ACC-2", name="=Riverside", email="")
    DentistFactory(email="dr.a@bright.test", name="Dr A", practice=bright)
    DentistFactory(email="dr.b@river.test", name="@Dr B", practice=river)
    ProductFactory(
        code="ZC", name="Zirconia crown", price="129.00", category="crown_bridge", unit="tooth", turnaround_days=5
    )
    ProductFactory(code="NG", name="Night guard", price="90.50", category="removable", unit="arch", turnaround_days=4)
    client.force_login(manager)
    return manager


def test_each_kind_exports_as_csv_with_formulas_neutralised(client, lab):
    response = client.get("/api/export/practices.csv")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = _rows(response)
    assert rows[0] == ["account_number", "name", "email", "phone", "address"]
    assert ["ACC-2", "'=Riverside", "", "", ""] in rows
    assert ["ACC-1", "Bright Smile", rows[1][2], "'+1 555 0100", "1 Main St\nSpringfield"] in rows


def test_users_export_has_no_password_hashes(client, lab):
    text = client.get("/api/export/users.csv").content.decode()
    assert "password" not in text.splitlines()[0] and "md5$" not in text and "argon2" not in text


def test_the_zip_holds_every_kind_and_a_files_manifest(client, lab):
    case = CaseFactory(dentist=User.objects.get(email="dr.a@bright.test"))
    CaseItemFactory(case=case, product=Product.objects.get(code="ZC"))
    CaseFileFactory(case=case, original_name="scan.stl", size=1234)
    response = client.get("/api/export/all.zip")
    assert response.status_code == 200 and response["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = set(archive.namelist())
    assert {"practices.csv", "dentists.csv", "products.csv", "users.csv", "cases.csv", "case_items.csv"} <= names
    assert {"notes.csv", "events.csv", "files_manifest.csv", "manifest.csv"} <= names
    manifest = list(csv.reader(io.StringIO(archive.read("files_manifest.csv").decode())))
    assert manifest[0][:6] == ["key", "case", "name", "kind", "size", "sha256"]
    assert manifest[1][1:3] == [case.number, "scan.stl"] and manifest[1][4] == "1234"
    cases = list(csv.reader(io.StringIO(archive.read("cases.csv").decode())))
    assert cases[1][0] == case.number


def test_export_is_for_managers(client, db):
    for factory in (TechnicianFactory, DentistFactory):
        client.force_login(factory())
        assert client.get("/api/export/practices.csv").status_code == 403
        assert client.get("/api/export/all.zip").status_code == 403


def test_an_unknown_kind_is_404(client, lab):
    assert client.get("/api/export/secrets.csv").status_code == 404


def test_round_trip_export_import_into_an_empty_database_export_again(client, lab):
    kinds = ("practices", "dentists", "products")
    before = {kind: client.get(f"/api/export/{kind}.csv").content for kind in kinds}
    # An empty database: nothing of the lab's is left but the manager who imports.
    User.objects.exclude(pk=lab.pk).delete()
    Practice.objects.all().delete()
    Product.objects.all().delete()
    for kind in kinds:
        upload = SimpleUploadedFile(f"{kind}.csv", before[kind], content_type="text/csv")
        response = post_import(client, kind, upload)
        assert response.status_code == 201, response.json()
        assert response.json()["created"] == len(_rows(client.get(f"/api/export/{kind}.csv"))) - 1
    after = {kind: client.get(f"/api/export/{kind}.csv").content for kind in kinds}
    assert after == before

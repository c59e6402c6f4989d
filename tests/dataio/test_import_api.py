"""POST /api/import/{kind}/ (DESIGN §18): dry run, all or nothing, idempotent, invitations, bad input."""

import pytest

from accounts.models import Practice, Role, User
from cases.models import Product
from dentallab.models import OutgoingEmail
from tests.dataio.helpers import csv_file, post_import, xlsx_file
from tests.factories import DentistFactory, ManagerFactory, PracticeFactory, ProductFactory, TechnicianFactory

pytestmark = pytest.mark.django_db

PRACTICES = (
    "account_number,name,email,phone,address,notes\n"
    "ACC-1,Bright Smile Dental,office@bright.test,+1 555 0100,1 Main Street,likes rush\n"
    "ACC-2,Riverside Family Dentistry,,555 0200,,\n"
)


@pytest.fixture
def manager(client):
    user = ManagerFactory()
    client.force_login(user)
    return user


def test_a_dry_run_shows_every_row_and_saves_nothing(client, manager):
    response = post_import(client, "practices", csv_file(PRACTICES), dry_run=True)
    assert response.status_code == 200
    assert response.json() == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "errors": []}
    assert not Practice.objects.exists()


def test_an_import_saves_and_answers_201_and_the_same_file_again_changes_nothing(client, manager):
    response = post_import(client, "practices", csv_file(PRACTICES))
    assert response.status_code == 201
    assert response.json() == {"rows": 2, "created": 2, "updated": 0, "unchanged": 0, "errors": []}
    bright = Practice.objects.get(account_number="ACC-1")
    assert (bright.name, bright.email, bright.phone, bright.address) == (
        "Bright Smile Dental", "office@bright.test", "+1 555 0100", "1 Main Street",
    )  # fmt: skip
    again = post_import(client, "practices", csv_file(PRACTICES))
    assert again.status_code == 201
    assert again.json() == {"rows": 2, "created": 0, "updated": 0, "unchanged": 2, "errors": []}


def test_a_changed_row_is_an_update_and_missing_optional_columns_keep_what_is_there(client, manager):
    post_import(client, "practices", csv_file(PRACTICES))
    body = post_import(client, "practices", csv_file("account_number,name\nACC-1,Bright Smile Dental Group\n")).json()
    assert (body["updated"], body["unchanged"]) == (1, 0)
    bright = Practice.objects.get(account_number="ACC-1")
    assert bright.name == "Bright Smile Dental Group" and bright.phone == "+1 555 0100"


def test_one_bad_row_saves_nothing_and_names_the_row_and_field(client, manager):
    text = PRACTICES + "ACC-3,Third Dental,not-an-email,,,\n"
    response = post_import(client, "practices", csv_file(text))
    assert response.status_code == 400
    body = response.json()
    assert body["errors"] == [{"row": 3, "field": "email", "message": "'not-an-email' is not an e-mail address."}]
    assert (body["rows"], body["created"]) == (3, 2) and body["message"].startswith("Row 3")
    assert not Practice.objects.exists()


def test_a_missing_required_column_is_named(client, manager):
    response = post_import(client, "practices", csv_file("account_number,email\nACC-1,a@b.test\n"))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": None, "field": "name", "message": "The column name is missing (required: account_number, name)."}
    ]


def test_a_key_twice_in_the_file_is_an_error_on_the_second(client, manager):
    text = "account_number,name\nACC-1,One\nACC-1,Again\n"
    errors = post_import(client, "practices", csv_file(text), dry_run=True).json()["errors"]
    assert errors == [
        {"row": 2, "field": "account_number", "message": "The same account_number as row 1: each may appear once."}
    ]


def test_latin1_and_utf8_with_bom_are_both_read(client, manager):
    text = "account_number,name\nACC-9,Clínica Dental Peña\n"
    for encoding in ("latin-1", "utf-8-sig"):
        body = post_import(client, "practices", csv_file(text, encoding=encoding), dry_run=True).json()
        assert body["errors"] == [] and body["created"] == 1
    post_import(client, "practices", csv_file(text, encoding="latin-1"))
    assert Practice.objects.get(account_number="ACC-9").name == "Clínica Dental Peña"


def test_semicolon_separated_files_are_read(client, manager):
    body = post_import(client, "practices", csv_file("account_number;name\nACC-1;One\n"), dry_run=True).json()
    assert body["created"] == 1 and body["errors"] == []


def test_dentists_are_invited_by_email_and_never_given_a_password(client, manager):
    PracticeFactory(account_number="ACC-1")
    text = "email,name,practice_account_number\nDr.New@Practice.test,Dr New,ACC-1\n"
    assert post_import(client, "dentists", csv_file(text)).status_code == 201
    dentist = User.objects.get(email="dr.new@practice.test")
    assert dentist.role == Role.DENTIST and dentist.practice.account_number == "ACC-1"
    assert not dentist.has_usable_password()
    assert OutgoingEmail.objects.filter(to__contains=["dr.new@practice.test"]).count() == 1
    again = post_import(client, "dentists", csv_file(text)).json()
    assert again["unchanged"] == 1 and OutgoingEmail.objects.count() == 1


def test_an_unknown_practice_for_a_dentist_is_an_error(client, manager):
    text = "email,name,practice_account_number\ndr@x.test,Dr X,NOPE\n"
    response = post_import(client, "dentists", csv_file(text))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "practice_account_number"
    assert not User.objects.filter(email="dr@x.test").exists() and not OutgoingEmail.objects.exists()


def test_a_lab_account_is_not_turned_into_a_dentist(client, manager):
    PracticeFactory(account_number="ACC-1")
    tech = TechnicianFactory()
    text = f"email,name,practice_account_number\n{tech.email},Tech,ACC-1\n"
    assert post_import(client, "dentists", csv_file(text)).json()["errors"][0]["field"] == "email"


def test_a_moved_dentist_is_an_update(client, manager):
    DentistFactory(email="dr.a@x.test", name="Dr A", practice=PracticeFactory(account_number="OLD"))
    PracticeFactory(account_number="NEW")
    body = post_import(
        client, "dentists", csv_file("email,name,practice_account_number\ndr.a@x.test,Dr A,NEW\n")
    ).json()
    assert body["updated"] == 1
    assert User.objects.get(email="dr.a@x.test").practice.account_number == "NEW"


def test_products_read_labels_and_refuse_a_negative_price(client, manager):
    text = (
        "code,name,category,unit,price,turnaround_days\n"
        "ZC,Zirconia crown,Crown & bridge,Per tooth,129.00,5\n"
        "NG,Night guard,removable,arch,-10,4\n"
    )
    body = post_import(client, "products", csv_file(text)).json()
    assert body["errors"] == [{"row": 2, "field": "price", "message": "A price cannot be negative."}]
    assert not Product.objects.filter(code__in=["ZC", "NG"]).exists()


def test_products_import_and_update_prices(client, manager):
    ProductFactory(code="ZC", name="Zirconia crown", price="100.00", turnaround_days=5)
    text = 'code,name,price\nZC,Zirconia crown,"1,129.50"\nEM,e.max crown,"139,00"\n'
    body = post_import(client, "products", csv_file(text)).json()
    assert (body["created"], body["updated"]) == (1, 1)
    assert str(Product.objects.get(code="ZC").price) == "1129.50"
    assert str(Product.objects.get(code="EM").price) == "139.00"


def test_formulas_in_cells_are_read_as_text(client, manager):
    upload = xlsx_file({"Practices": [["account_number", "name"], ["ACC-1", '=HYPERLINK("http://x")']]})
    assert post_import(client, "practices", upload).status_code == 201
    assert Practice.objects.get(account_number="ACC-1").name == '=HYPERLINK("http://x")'


def test_the_first_sheet_or_the_named_one_is_read(client, manager):
    sheets = {
        "Notes": [["account_number", "name"], ["ACC-N", "From notes"]],
        "Practices": [["account_number", "name"], ["ACC-P", "From practices"]],
    }
    assert post_import(client, "practices", xlsx_file(sheets), dry_run=True).json()["created"] == 1
    post_import(client, "practices", xlsx_file(sheets), sheet="Practices")
    assert list(Practice.objects.values_list("account_number", flat=True)) == ["ACC-P"]
    missing = post_import(client, "practices", xlsx_file(sheets), sheet="Nope")
    assert missing.status_code == 400 and missing.json()["errors"][0]["field"] == "sheet"


def test_numbers_in_xlsx_cells_are_read_as_written(client, manager):
    upload = xlsx_file({"S": [["code", "name", "price", "turnaround_days"], [1001, "Crown", 129.5, 5]]})
    assert post_import(client, "products", upload).status_code == 201
    product = Product.objects.get(code="1001")
    assert str(product.price) == "129.50" and product.turnaround_days == 5


def test_files_over_the_limits_are_refused_with_a_clear_message(client, manager, settings):
    settings.IMPORT_MAX_BYTES = 1000
    response = post_import(client, "practices", csv_file("account_number,name\n" + "A,B\n" * 400))
    assert response.status_code == 400
    assert response.json()["errors"] == [
        {"row": None, "field": "file", "message": "The file is larger than 1 KB: split it into smaller files."}
    ]
    settings.IMPORT_MAX_BYTES = 4_000_000
    settings.IMPORT_MAX_ROWS = 3
    response = post_import(
        client, "practices", csv_file("account_number,name\n" + "".join(f"A{i},B\n" for i in range(10)))
    )
    assert response.status_code == 400 and "more than 3 rows" in response.json()["errors"][0]["message"]


def test_no_file_is_400_naming_it(client, manager):
    response = client.post("/api/import/practices/")
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "file"


def test_an_unknown_kind_is_404(client, manager):
    assert post_import(client, "cases", csv_file("a\n1\n")).status_code == 404


@pytest.mark.parametrize("factory", [TechnicianFactory, DentistFactory])
def test_only_managers_import(client, db, factory):
    client.force_login(factory())
    assert post_import(client, "practices", csv_file(PRACTICES)).status_code == 403
    assert not Practice.objects.filter(account_number="ACC-1").exists()


def test_utf16_text_from_excel_is_read(client, manager):
    body = post_import(
        client, "practices", csv_file("account_number\tname\nACC-1\tÅse Dental\n", encoding="utf-16"), dry_run=True
    )
    assert body.json()["created"] == 1 and body.json()["errors"] == []


def test_a_binary_file_that_is_not_a_spreadsheet_is_refused(client, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("data.csv", b"\x00\x01\x02garbage", content_type="text/csv")
    response = post_import(client, "practices", upload)
    assert response.status_code == 400 and response.json()["errors"][0]["field"] == "file"


def test_a_damaged_xlsx_is_refused_with_a_message(client, manager):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("data.xlsx", b"PK\x03\x04not really a zip", content_type="application/octet-stream")
    response = post_import(client, "practices", upload)
    assert response.status_code == 400
    assert response.json()["errors"][0]["message"] == "The file could not be read as an XLSX spreadsheet."


def test_a_dry_run_reports_a_missing_column_with_200(client, manager):
    response = post_import(client, "dentists", csv_file("email,name\na@b.test,A\n"), dry_run=True)
    assert response.status_code == 200
    assert response.json()["errors"][0]["field"] == "practice_account_number"

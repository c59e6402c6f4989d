"""The statement of manufacture (MDR Annex XIII §1, DESIGN §15): issued inside the move to shipped,
read back from the PDF, kept as a retained case file, versioned, never deleted."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.test.utils import CaptureQueriesContext

from accounts.models import LabProfile
from cases.models import Case, Status
from cases.services import transition_case
from files.models import CaseFile, FileState
from files.services import cleanup_pending, delete_file
from tests.factories import DentistFactory, LotFactory, ManagerFactory, MaterialFactory, TechnicianFactory
from tests.traceability.helpers import pdf_text, traceable_case
from traceability import services
from traceability import storage as statement_storage
from traceability.models import CaseDeclaration, LotUsage, Statement

pytestmark = pytest.mark.django_db

PROFILE = {
    "legal_name": "Zahntechnik Ødegård GmbH",
    "address": "Hauptstraße 5, 80331 München, Germany",
    "manufacturing_sites": "Werk Süd, Lindwurmstraße 9, 80337 München",
    "eu_srn": "DE-MF-000012345",
    "uk_mhra_number": "CA999",
    "us_fda_establishment": "3012345678",
    "authorised_representative": "Not applicable — EU manufacturer",
    "responsible_person": "Anna Łukasiewicz",
    "responsible_person_title": "PRRC",
}


@pytest.fixture
def profile():
    lab = LabProfile.current()
    for name, value in PROFILE.items():
        setattr(lab, name, value)
    lab.save()
    return lab


def ship(case, actor=None):
    return transition_case(case=case, to=Status.SHIPPED, actor=actor or TechnicianFactory())


def shipped_case_with_lot(**lot_fields):
    case, item = traceable_case(shade="A2", instructions="Light occlusal contacts, glaze only", patient_name="JD-1042")
    material = MaterialFactory(name="Zirconia disc 3Y", manufacturer="Ceramics GmbH", contains_tissues_or_cells=False)
    lot = LotFactory(material=material, lot_number="ZR-2410-A", expires_on=datetime.date(2030, 6, 30), **lot_fields)
    LotUsage.objects.create(case=case, item=item, lot=lot, product_name=item.product.name, teeth=item.teeth)
    return ship(case), lot


def stored_pdf(statement) -> bytes:
    with default_storage.open(statement.file.object_key, "rb") as fh:
        return fh.read()


def test_shipping_issues_version_1_as_a_retained_document_with_its_sha256(profile):
    import hashlib

    case, _ = shipped_case_with_lot()
    statement = Statement.objects.get(case=case)
    assert statement.version == 1
    file = statement.file
    assert (file.kind, file.state, file.retained, file.content_type) == (
        "document",
        "available",
        True,
        "application/pdf",
    )
    data = stored_pdf(statement)
    assert hashlib.sha256(data).hexdigest() == statement.sha256 == file.sha256 and file.size == len(data)
    assert statement.retain_until.year == statement.created_at.year + 10


def test_the_pdf_names_every_annex_xiii_element(profile):
    case, _ = shipped_case_with_lot()
    dentist = case.dentist
    CaseDeclaration.objects.create(case=case, annex_i_deviations="GSPR 14.2: margin 0.1 mm wider, agreed with Dr.")
    statement = services.regenerate_statement(actor=ManagerFactory(), case=case, reason="Declaration added")
    text = pdf_text(stored_pdf(statement))
    expected = [
        # manufacturer, address, every manufacturing site, registration
        "Zahntechnik Ødegård GmbH", "Hauptstraße 5, 80331 München", "Werk Süd, Lindwurmstraße 9", "DE-MF-000012345",
        # authorised representative
        "Not applicable — EU manufacturer",
        # device: case number, product, teeth, shade, material and lot
        case.number, "Full-contour zirconia crown", "11, 21", "A2", "Zirconia disc 3Y", "ZR-2410-A",
        # exclusive use of the patient
        "exclusive use of the patient identified as: JD-1042",
        # prescriber and practice
        dentist.name, case.practice.name,
        # the prescription's specific characteristics
        "Light occlusal contacts, glaze only",
        # Annex I conformity, naming what is not fully met
        "general safety and performance requirements set out in Annex I", "GSPR 14.2: margin 0.1 mm wider",
        # composition
        "A medicinal substance", "A human blood or plasma derivative", "Tissues or cells of human or animal origin",
        # date and responsible person
        statement.created_at.strftime("%d %B %Y"), "Anna Łukasiewicz", "PRRC",
        "version 2", "Declaration added",
    ]  # fmt: skip
    missing = [phrase for phrase in expected if phrase not in text]
    assert not missing, missing


def test_a_flagged_material_is_declared(profile):
    case, item = traceable_case()
    material = MaterialFactory(name="Collagen membrane", contains_tissues_or_cells=True)
    LotUsage.objects.create(case=case, item=item, lot=LotFactory(material=material), product_name="x", teeth=[11])
    text = pdf_text(stored_pdf(ship(case).statements.get()))
    assert "Tissues or cells of human or animal origin Yes — Collagen membrane" in text


@pytest.mark.parametrize(
    ("region", "phrases"),
    [
        ("us", ["material and point-of-origin disclosure", "Point of origin", "Germany", "3012345678"]),
        ("uk", ["UK Medical Devices Regulations 2002", "Material and point-of-origin disclosure", "CA999"]),
    ],
)
def test_us_and_uk_print_the_disclosure_that_applies_there(profile, settings, region, phrases):
    settings.LAB_REGULATORY_REGION = region
    case, _ = shipped_case_with_lot()
    text = pdf_text(stored_pdf(case.statements.get()))
    assert all(phrase in text for phrase in phrases), text[:400]
    if region == "us":
        assert "Regulation (EU) 2017/745" not in text


def test_a_correction_makes_version_2_and_keeps_version_1_unchanged(profile):
    case, _ = shipped_case_with_lot()
    first = case.statements.get()
    before = stored_pdf(first)
    second = services.regenerate_statement(actor=ManagerFactory(), case=case, reason="Lot corrected")
    assert (second.version, second.file_id != first.file_id) == (2, True)
    first.refresh_from_db()
    assert stored_pdf(first) == before and first.file.state == FileState.AVAILABLE


def test_nobody_and_no_cleanup_deletes_a_statement(profile, client):
    case, _ = shipped_case_with_lot()
    statement = case.statements.get()
    file = statement.file
    # the delete service, for the lab's admin too
    with pytest.raises(Exception, match="kept by law"):
        delete_file(file=file, actor=ManagerFactory())
    client.force_login(ManagerFactory())
    assert client.delete(f"/api/files/{file.pk}/").status_code == 403
    # the abandoned-uploads cleanup, even with a pending-looking age
    CaseFile.objects.filter(pk=file.pk).update(created_at=datetime.datetime(2000, 1, 1, tzinfo=datetime.UTC))
    cleanup_pending(older_than=datetime.timedelta(seconds=0))
    # a soft delete written straight to the table, and a hard delete through the ORM
    with pytest.raises(IntegrityError), transaction.atomic():
        CaseFile.objects.filter(pk=file.pk).update(state="deleted", deleted_at=datetime.datetime.now(datetime.UTC))
    with pytest.raises(ProtectedError):
        file.delete()
    with pytest.raises(ProtectedError):
        Case.objects.get(pk=case.pk).delete()
    file.refresh_from_db()
    assert file.state == FileState.AVAILABLE and default_storage.exists(file.object_key)


def test_a_storage_failure_refuses_the_move_and_changes_nothing(profile, monkeypatch):
    case, item = traceable_case()
    LotUsage.objects.create(case=case, item=item, lot=LotFactory(), product_name="x", teeth=[11])

    def timeout(key, data):
        raise TimeoutError("storage did not answer")

    monkeypatch.setattr(statement_storage, "write", timeout)
    from dentallab.exceptions import Unavailable

    with pytest.raises(Unavailable):
        ship(case)
    case.refresh_from_db()
    assert case.status == Status.QUALITY_CHECK and not Statement.objects.exists()


def test_an_object_left_by_a_rolled_back_move_is_swept(profile):
    from django.core.management import call_command

    case, item = traceable_case()
    LotUsage.objects.create(case=case, item=item, lot=LotFactory(), product_name="x", teeth=[11])
    with pytest.raises(RuntimeError), transaction.atomic():
        ship(case)
        raise RuntimeError("a later receiver refused the move")
    assert not Statement.objects.exists()
    assert len(statement_storage.stored_keys()) == 1
    call_command("sweep_statement_objects", "--older-than-minutes", "0")
    assert statement_storage.stored_keys() == []


def test_the_api_returns_the_current_statement_to_who_can_see_the_case(profile, api):
    case, _ = traceable_case()
    url = f"/api/cases/{case.pk}/statement/"
    assert api(TechnicianFactory()).get(url).status_code == 404  # before QC passes
    LotUsage.objects.create(case=case, item=case.items.get(), lot=LotFactory(lot_number="LOT-77"), product_name="x")
    ship(case)
    technician = api(TechnicianFactory()).get(url)
    assert technician.status_code == 200
    body = technician.json()
    assert set(body) == {"id", "version", "sha256", "created_at", "download_url"} and body["version"] == 1
    assert api(DentistFactory()).get(url).status_code == 404  # another practice
    own = api(DentistFactory(practice=case.practice))
    assert own.get(url).json()["sha256"] == body["sha256"]
    download = own.get(body["download_url"])
    assert download.status_code == 200
    assert "LOT-77" in pdf_text(b"".join(download.streaming_content))


def test_unicode_names_render(profile):
    case, _ = shipped_case_with_lot()
    text = pdf_text(stored_pdf(case.statements.get()))
    assert "Ødegård" in text and "Łukasiewicz" in text and "Süd" in text


def test_the_case_page_reads_statements_only_once_the_case_has_shipped(client, profile):
    case, _item = traceable_case()
    client.force_login(ManagerFactory())
    with CaptureQueriesContext(connection) as queries:
        assert client.get(f"/cases/{case.pk}/").status_code == 200
    assert not [q for q in queries if "traceability_statement" in q["sql"]]
    shipped, _lot = shipped_case_with_lot()
    html = client.get(f"/cases/{shipped.pk}/").content.decode()
    assert 'data-testid="statement-download"' in html

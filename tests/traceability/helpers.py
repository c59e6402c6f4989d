import io

from pypdf import PdfReader

from cases.models import Status
from tests.factories import CaseFactory, CaseItemFactory, DentistFactory, ProductFactory


def traceable_case(status=Status.QUALITY_CHECK, *, practice=None, **fields):
    """A case with one crown whose product requires traceability."""
    dentist = DentistFactory(practice=practice) if practice else DentistFactory()
    case = CaseFactory(dentist=dentist, practice=dentist.practice, status=status, **fields)
    item = CaseItemFactory(
        case=case,
        product=ProductFactory(name="Full-contour zirconia crown", requires_traceability=True),
        teeth=[11, 21],
    )
    return case, item


def pdf_text(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return " ".join(" ".join((page.extract_text() or "").split()) for page in reader.pages)

"""The statement of manufacture of a custom-made device (MDR Annex XIII §1, DESIGN §15): what it
says, gathered from the lab profile, the case, its items and lots and the prescriber
(`gather`), and the PDF (`render`). `LAB_REGULATORY_REGION=uk` prints the UK MDR 2002 statement
with the material and point-of-origin disclosure; `us` prints the disclosure that US states ask
dental laboratories for instead of an EU statement.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from accounts.models import LabProfile
from cases.models import Case, ProductCategory
from dentallab.pdf import Letterhead, LetterheadPDF
from traceability.selectors import case_items_with_usages

NOT_SET = "Not recorded in the lab profile"
RETENTION_YEARS = 10
IMPLANTABLE_RETENTION_YEARS = 15


@dataclass
class LotLine:
    material: str
    manufacturer: str
    country_of_origin: str
    lot_number: str
    expires_on: datetime.date | None
    gtin: str

    @property
    def text(self) -> str:
        made_by = f" ({self.manufacturer})" if self.manufacturer else ""
        expiry = f", exp. {self.expires_on:%Y-%m-%d}" if self.expires_on else ""
        return f"{self.material}{made_by}, lot {self.lot_number}{expiry}"


@dataclass
class ItemLine:
    product: str
    category: str
    teeth: str
    shade: str
    material: str
    quantity: int
    lots: list[LotLine] = field(default_factory=list)


@dataclass
class StatementData:
    region: str
    version: int
    issued_on: datetime.date
    case_number: str
    patient: str
    prescriber: str
    practice: str
    practice_address: str
    lab_name: str
    lab_address: str
    manufacturing_sites: list[str]
    registration: list[tuple[str, str]]
    contact: list[str]
    authorised_representative: str
    responsible_person: str
    responsible_title: str
    items: list[ItemLine]
    case_shade: str
    instructions: str
    deviations: str
    medicinal_substance: list[str]
    blood_derivative: list[str]
    tissues_or_cells: list[str]
    implantable: bool
    logo: bytes | None = None
    reason: str = ""

    @property
    def retention_years(self) -> int:
        return IMPLANTABLE_RETENTION_YEARS if self.implantable else RETENTION_YEARS

    @property
    def lots(self) -> list[LotLine]:
        seen, lots = set(), []
        for item in self.items:
            for lot in item.lots:
                if (lot.material, lot.lot_number) not in seen:
                    seen.add((lot.material, lot.lot_number))
                    lots.append(lot)
        return lots


def _teeth(teeth) -> str:
    return ", ".join(str(t) for t in teeth) or "—"


def gather(*, case: Case, version: int, region: str, reason: str = "", logo: bytes | None = None) -> StatementData:
    """Everything the statement prints, read in a handful of queries."""
    profile = LabProfile.current()
    case = Case.objects.select_related("practice", "dentist").get(pk=case.pk)
    items, flags = [], {"medicinal": [], "blood": [], "tissues": []}
    implantable = False
    for item in case_items_with_usages(case):
        implantable = implantable or item.product.category == ProductCategory.IMPLANT
        line = ItemLine(
            product=item.product.name,
            category=item.product.get_category_display(),
            teeth=_teeth(item.teeth),
            shade=item.shade or case.shade,
            material=item.material,
            quantity=item.quantity,
        )
        for usage in item.usages:
            material = usage.lot.material
            line.lots.append(
                LotLine(
                    material=material.name,
                    manufacturer=material.manufacturer,
                    country_of_origin=material.country_of_origin,
                    lot_number=usage.lot.lot_number,
                    expires_on=usage.lot.expires_on,
                    gtin=material.gtin,
                )
            )
            for flag, name in (
                ("medicinal", "contains_medicinal_substance"),
                ("blood", "contains_blood_derivative"),
                ("tissues", "contains_tissues_or_cells"),
            ):
                if getattr(material, name) and material.name not in flags[flag]:
                    flags[flag].append(material.name)
        items.append(line)
    declaration = getattr(case, "declaration", None)
    registration = [
        (label, value)
        for label, value in (
            ("EU single registration number (SRN)", profile.eu_srn),
            ("UK MHRA registration number", profile.uk_mhra_number),
            ("US FDA establishment number", profile.us_fda_establishment),
        )
        if value
    ]
    return StatementData(
        region=region,
        version=version,
        issued_on=timezone.localdate(),
        case_number=case.number,
        patient=case.patient_name,
        prescriber=case.dentist.name,
        practice=case.practice.name,
        practice_address=case.practice.address,
        lab_name=profile.legal_name,
        lab_address=profile.address,
        manufacturing_sites=[line.strip() for line in profile.manufacturing_sites.splitlines() if line.strip()],
        registration=registration,
        contact=[value for value in (profile.phone, profile.email, profile.website) if value],
        authorised_representative=profile.authorised_representative.strip(),
        responsible_person=profile.responsible_person,
        responsible_title=profile.responsible_person_title,
        items=items,
        case_shade=case.shade,
        instructions=case.instructions,
        deviations=(declaration.annex_i_deviations.strip() if declaration else ""),
        medicinal_substance=flags["medicinal"],
        blood_derivative=flags["blood"],
        tissues_or_cells=flags["tissues"],
        implantable=implantable,
        logo=logo,
        reason=reason,
    )


# --- the PDF ---------------------------------------------------------------------------------

TITLES = {
    "eu": (
        "Statement of manufacture — custom-made device",
        "Regulation (EU) 2017/745 on medical devices (MDR), Annex XIII, Section 1",
    ),
    "uk": (
        "Statement for a custom-made device",
        "UK Medical Devices Regulations 2002 (SI 2002/618), Part II, and Annex VIII of Directive 93/42/EEC "
        "as it applies in Great Britain",
    ),
    "us": (
        "Dental prosthesis: material and point-of-origin disclosure",
        "Custom-made dental restoration made on the written prescription of a licensed dentist",
    ),
}


def _yes_no(materials: list[str]) -> str:
    return f"Yes — {', '.join(materials)}" if materials else "No"


def render(data: StatementData) -> bytes:
    """The statement as PDF bytes (DejaVu Sans embedded, so any name prints)."""
    title, subtitle = TITLES[data.region]
    letterhead = Letterhead(
        name=data.lab_name or NOT_SET,
        address=data.lab_address,
        lines=tuple([f"{label}: {value}" for label, value in data.registration] + [" · ".join(data.contact)]),
        logo=data.logo,
    )
    pdf = LetterheadPDF(
        letterhead,
        title=title,
        subtitle=f"{subtitle}\nCase {data.case_number} · version {data.version} · issued {data.issued_on:%d %B %Y}",
        footer_text=(
            f"Case {data.case_number} · statement version {data.version} · keep for at least "
            f"{data.retention_years} years"
        ),
    )
    pdf.alias_nb_pages()
    pdf.add_page()
    if data.version > 1:
        pdf.paragraph(
            f"This version {data.version} replaces the earlier versions of this statement."
            + (f" Reason: {data.reason}" if data.reason else ""),
            muted=True,
        )
    if data.region == "us":
        _us(pdf, data)
    else:
        _eu_uk(pdf, data)
    pdf.signature_block(
        name=data.responsible_person or NOT_SET,
        title=data.responsible_title,
        date=data.issued_on,
    )
    return pdf.render()


def _manufacturer(pdf: LetterheadPDF, data: StatementData, heading: str) -> None:
    pdf.heading(heading)
    pdf.field("Name", data.lab_name or NOT_SET)
    pdf.field("Address", data.lab_address or NOT_SET)
    for label, value in data.registration:
        pdf.field(label, value)
    pdf.field("Manufacturing site(s)", "\n".join(data.manufacturing_sites) or NOT_SET)


def _device(pdf: LetterheadPDF, data: StatementData, heading: str) -> None:
    pdf.heading(heading)
    pdf.field("Case number", data.case_number)
    pdf.simple_table(
        ["Device", "Teeth (FDI)", "Shade", "Material", "Materials and lots used"],
        [
            [
                f"{item.product}" + (f" × {item.quantity}" if item.quantity > 1 else ""),
                item.teeth,
                item.shade or "—",
                item.material or "—",
                "\n".join(lot.text for lot in item.lots) or "No lot recorded",
            ]
            for item in data.items
        ],
        widths=[32, 16, 12, 24, 50],
    )


def _patient_and_prescriber(pdf: LetterheadPDF, data: StatementData, patient_heading: str, rx_heading: str) -> None:
    pdf.heading(patient_heading)
    pdf.paragraph(
        "This device is intended for the exclusive use of the patient identified as: " + (data.patient or "—") + "."
    )
    pdf.heading(rx_heading)
    pdf.field("Prescriber", data.prescriber)
    pdf.field("Practice", data.practice + (f"\n{data.practice_address}" if data.practice_address else ""))


def _characteristics(pdf: LetterheadPDF, data: StatementData, heading: str) -> None:
    pdf.heading(heading)
    pdf.field("Shade", data.case_shade or "—")
    for item in data.items:
        pdf.field(item.product, f"Teeth {item.teeth}; shade {item.shade or '—'}; material {item.material or '—'}")
    pdf.field("Instructions", data.instructions or "None given")


def _substances(pdf: LetterheadPDF, data: StatementData, heading: str) -> None:
    pdf.heading(heading)
    pdf.field("A medicinal substance", _yes_no(data.medicinal_substance))
    pdf.field("A human blood or plasma derivative", _yes_no(data.blood_derivative))
    pdf.field("Tissues or cells of human or animal origin", _yes_no(data.tissues_or_cells))


def _disclosure(pdf: LetterheadPDF, data: StatementData, heading: str) -> None:
    pdf.heading(heading)
    pdf.field("Point of origin (where the device was made)", "\n".join(data.manufacturing_sites) or NOT_SET)
    lots = data.lots
    if lots:
        pdf.simple_table(
            ["Material", "Manufacturer", "Country of origin", "Lot", "Expiry"],
            [
                [
                    lot.material,
                    lot.manufacturer or "—",
                    lot.country_of_origin or "—",
                    lot.lot_number,
                    f"{lot.expires_on:%Y-%m-%d}" if lot.expires_on else "—",
                ]
                for lot in lots
            ],
            widths=[40, 34, 26, 24, 18],
        )
    else:
        pdf.paragraph("No material lots were recorded for this case; materials as listed above.")


def _eu_uk(pdf: LetterheadPDF, data: StatementData) -> None:
    uk = data.region == "uk"
    _manufacturer(pdf, data, "1. Manufacturer")
    pdf.heading("2. Authorised representative")
    pdf.paragraph(data.authorised_representative or "None designated.")
    _device(pdf, data, "3. Data identifying the device")
    _patient_and_prescriber(pdf, data, "4. Patient", "5. Prescriber")
    _characteristics(pdf, data, "6. Specific characteristics of the device as indicated by the prescription")
    pdf.heading("7. Conformity")
    annex = "Annex I to Directive 93/42/EEC (essential requirements)" if uk else "Annex I to Regulation (EU) 2017/745"
    requirements = "essential requirements" if uk else "general safety and performance requirements"
    if data.deviations:
        pdf.paragraph(
            f"The device conforms to the {requirements} set out in {annex}, except for the following, "
            "which are not fully met:"
        )
        pdf.paragraph(data.deviations, bold=True)
    else:
        pdf.paragraph(f"The device conforms to the {requirements} set out in {annex}.")
        pdf.paragraph("Requirements not fully met: none.", muted=True)
    _substances(pdf, data, "8. The device contains")
    if uk:
        _disclosure(pdf, data, "9. Material and point-of-origin disclosure")
    pdf.heading(("10" if uk else "9") + ". Date and responsible person")
    pdf.paragraph(
        f"This statement is kept for at least {data.retention_years} years and is available to the patient.",
        muted=True,
        size=8.5,
    )


def _us(pdf: LetterheadPDF, data: StatementData) -> None:
    _manufacturer(pdf, data, "1. Dental laboratory")
    _device(pdf, data, "2. Restoration")
    _patient_and_prescriber(pdf, data, "3. Patient", "4. Prescribing dentist")
    _disclosure(pdf, data, "5. Materials and point of origin")
    _substances(pdf, data, "6. Composition: the restoration contains")
    if data.deviations:
        pdf.heading("7. Deviations from the prescription or requirements")
        pdf.paragraph(data.deviations)
    pdf.heading("Date and responsible person")

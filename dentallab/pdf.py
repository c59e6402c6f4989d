"""The lab's printed documents: one letterhead for statements of manufacture, invoices, credit notes
and statements of account (DESIGN §13, §15).

fpdf2 installs from wheels alone (no Pango or Cairo), so this runs on Vercel. Text is set in
DejaVu Sans, embedded from `dentallab/fonts/` (subset by fpdf2), so any Unicode a lab or a patient
name needs (ß, ø, ł, Ç, …) prints. Plain values in, no app imports: callers turn their models into
a `Letterhead` and call the drawing helpers, then `render()` for the bytes.

    pdf = LetterheadPDF(Letterhead(name="Acme Dental Lab Ltd", address="1 High St\\nLondon"),
                        title="Statement of manufacture")
    pdf.add_page()
    pdf.heading("1. Manufacturer")
    pdf.field("Name", "Acme Dental Lab Ltd")
    data = pdf.render()
"""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass, field
from pathlib import Path

from fpdf import FPDF
from fpdf.enums import XPos, YPos
from fpdf.fonts import FontFace

FONT_DIR = Path(__file__).resolve().parent / "fonts"
FONT_FAMILY = "DejaVu"
INK = (33, 37, 41)
MUTED = (108, 117, 125)
RULE = (200, 205, 210)


@dataclass(frozen=True)
class Letterhead:
    """What the top of every page shows: the lab's name, address, a few small lines (phone, e-mail,
    registration numbers) and its logo (PNG or JPEG bytes), all plain values."""

    name: str
    address: str = ""
    lines: tuple[str, ...] = field(default_factory=tuple)
    logo: bytes | None = None


class LetterheadPDF(FPDF):
    """An A4 (or Letter) page with the lab's letterhead, a document title, and a footer with the
    footer text and page numbers. Drawing helpers keep every document in one typographic style."""

    def __init__(
        self,
        letterhead: Letterhead,
        *,
        title: str,
        subtitle: str = "",
        footer_text: str = "",
        paper: str = "A4",
        author: str = "",
    ):
        super().__init__(orientation="portrait", unit="mm", format=paper)
        self.letterhead, self.doc_title, self.doc_subtitle, self.footer_text = letterhead, title, subtitle, footer_text
        self.add_font(FONT_FAMILY, "", str(FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT_FAMILY, "B", str(FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(auto=True, margin=20)
        self.set_title(title)
        self.set_author(author or letterhead.name)
        self.set_creator("DentalLab")
        self.set_text_color(*INK)

    # ---- page furniture --------------------------------------------------------------------

    def header(self):
        top = self.t_margin
        text_x = self.l_margin
        if self.letterhead.logo:
            try:
                self.image(io.BytesIO(self.letterhead.logo), x=self.l_margin, y=top, h=16)
                text_x = self.l_margin + 40
            except Exception:  # noqa: BLE001 — a broken logo must not stop a regulatory document
                text_x = self.l_margin
        self.set_xy(text_x, top)
        width = self.w - self.r_margin - text_x
        self.set_font(FONT_FAMILY, "B", 12)
        self.multi_cell(width, 5.5, self.letterhead.name or " ", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FONT_FAMILY, "", 8)
        self.set_text_color(*MUTED)
        small = [line for line in (self.letterhead.address or "").splitlines() if line.strip()]
        small += [line for line in self.letterhead.lines if line]
        if small:
            self.multi_cell(width, 3.8, "\n".join(small), new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        bottom = max(self.get_y(), top + 17) + 2
        self.set_draw_color(*RULE)
        self.line(self.l_margin, bottom, self.w - self.r_margin, bottom)
        self.set_xy(self.l_margin, bottom + 3)
        if self.page_no() == 1:
            self.set_font(FONT_FAMILY, "B", 14)
            self.multi_cell(0, 7, self.doc_title, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
            if self.doc_subtitle:
                self.set_font(FONT_FAMILY, "", 9)
                self.set_text_color(*MUTED)
                self.multi_cell(0, 4.5, self.doc_subtitle, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
                self.set_text_color(*INK)
            self.ln(2)

    def footer(self):
        self.set_y(-14)
        self.set_font(FONT_FAMILY, "", 7.5)
        self.set_text_color(*MUTED)
        self.set_draw_color(*RULE)
        self.line(self.l_margin, self.get_y() - 1, self.w - self.r_margin, self.get_y() - 1)
        page = f"Page {self.page_no()} of {{nb}}"
        width = self.w - self.l_margin - self.r_margin
        self.cell(width - 25, 4, self.footer_text, new_x=XPos.RIGHT, new_y=YPos.TOP)
        self.cell(25, 4, page, align="R")
        self.set_text_color(*INK)

    # ---- drawing helpers ---------------------------------------------------------------------

    def heading(self, text: str) -> None:
        """A numbered section title; keeps at least a few lines of room below it."""
        if self.get_y() > self.h - self.b_margin - 25:
            self.add_page()
        self.ln(2)
        self.set_font(FONT_FAMILY, "B", 10.5)
        self.multi_cell(0, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT_FAMILY, "", 9.5)

    def paragraph(self, text: str, *, bold: bool = False, muted: bool = False, size: float = 9.5) -> None:
        self.set_font(FONT_FAMILY, "B" if bold else "", size)
        if muted:
            self.set_text_color(*MUTED)
        self.multi_cell(0, 4.8, text or " ", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_text_color(*INK)
        self.set_font(FONT_FAMILY, "", 9.5)

    def field(self, label: str, value: str, *, label_width: float = 52) -> None:
        """A label in the left column, its (possibly multi-line) value beside it."""
        if self.get_y() > self.h - self.b_margin - 10:
            self.add_page()
        y = self.get_y()
        self.set_font(FONT_FAMILY, "", 8.5)
        self.set_text_color(*MUTED)
        self.multi_cell(label_width - 3, 4.8, label, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        label_bottom = self.get_y()
        self.set_text_color(*INK)
        self.set_font(FONT_FAMILY, "", 9.5)
        self.set_xy(self.l_margin + label_width, y)
        self.multi_cell(0, 4.8, value or "—", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_y(max(self.get_y(), label_bottom))
        self.ln(0.8)

    def simple_table(self, headers: list[str], rows: list[list[str]], *, widths: list[float] | None = None) -> None:
        """A simple ruled table; long cells wrap, rows break across pages."""
        self.set_font(FONT_FAMILY, "", 8.5)
        col_widths = widths or [1] * len(headers)
        with self.table(
            col_widths=tuple(col_widths),
            text_align="LEFT",
            line_height=4.6,
            borders_layout="HORIZONTAL_LINES",
            headings_style=FontFace(family=FONT_FAMILY, emphasis="BOLD", size_pt=8.5),
            first_row_as_headings=True,
            padding=1.2,
        ) as table:
            heading = table.row()
            for text in headers:
                heading.cell(text)
            for values in rows:
                row = table.row()
                for value in values:
                    row.cell(value or "—")
        self.set_font(FONT_FAMILY, "", 9.5)
        self.ln(1)

    def signature_block(self, *, name: str, title: str, date: datetime.date, place: str = "") -> None:
        if self.get_y() > self.h - self.b_margin - 32:
            self.add_page()
        self.ln(4)
        self.field("Date" + (" and place" if place else ""), f"{date:%d %B %Y}" + (f", {place}" if place else ""))
        self.field("Responsible person", name + (f", {title}" if title and name else title))
        self.ln(8)
        self.set_draw_color(*INK)
        y = self.get_y()
        self.line(self.l_margin + 52, y, self.l_margin + 130, y)
        self.set_xy(self.l_margin + 52, y + 0.5)
        self.set_font(FONT_FAMILY, "", 7.5)
        self.set_text_color(*MUTED)
        self.cell(78, 4, "Signature")
        self.set_text_color(*INK)
        self.ln(6)

    def render(self) -> bytes:
        return bytes(self.output())

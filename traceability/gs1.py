"""GS1 barcodes on material packaging, read with `biip` (a maintained GS1 parser), never with
regular expressions of our own (DESIGN §15).

Accepted input: what a keyboard-wedge scanner types for a GS1-128 or GS1 DataMatrix code (element
strings separated by the GS character, FNC1; with or without a symbology identifier such as ]C1 or
]d2), the bracketed human-readable form printed under the code — "(01)07350053850019(10)ABC123" —
or a bare GTIN (EAN-13, UPC-A, GTIN-14). The application identifiers read are 01 (GTIN), 10 (lot),
17 (expiry, YYMMDD) and 21 (serial); GTIN check digits are verified.
"""

from __future__ import annotations

import datetime
from dataclasses import asdict, dataclass

from biip import ParseConfig, ParseError
from biip import parse as biip_parse
from biip.gs1_messages import GS1Message
from biip.gtin import Gtin

from dentallab.exceptions import AppError

# Scanners send FNC1 between variable-length element strings as the ASCII group separator (GS).
SEPARATORS = ("\x1d",)
MAX_LENGTH = 200


class NotGS1(AppError):
    code = "not_gs1"
    field = "barcode"


@dataclass(frozen=True)
class GS1Data:
    gtin: str | None
    lot: str | None
    expires_on: datetime.date | None
    serial: str | None

    def as_json(self) -> dict:
        data = asdict(self)
        data["expires_on"] = self.expires_on.isoformat() if self.expires_on else None
        return data


def _has_control_characters(text: str) -> bool:
    return any(ord(ch) < 32 or ord(ch) == 127 for ch in text if ch not in SEPARATORS)


def normalize_gtin(value: str, *, field: str = "gtin") -> str:
    """A GTIN-8/12/13/14 as its 14-digit form, or AppError naming `field` when it is not one (length,
    digits, check digit)."""
    text = (value or "").strip()
    try:
        gtin = Gtin.parse(text)
    except ParseError as exc:
        raise AppError(f"Not a valid GTIN: {_reason(str(exc))}", field=field, code="invalid_gtin") from None
    return gtin.as_gtin_14()


def _reason(message: str) -> str:
    """biip's message without the echoed input (which may be long or hold control characters)."""
    return message.split(": ", 1)[-1] if ": " in message else message


def parse_barcode(raw: str) -> GS1Data:
    """Read a scanned or typed GS1 barcode. Raises NotGS1 (400, field `barcode`) with a message a
    person can act on when it is not GS1 or a GTIN check digit is wrong."""
    if not isinstance(raw, str) or not raw.strip():
        raise NotGS1("Scan or type a GS1 barcode.")
    text = raw.strip(" \r\n\t")
    if len(text) > MAX_LENGTH:
        raise NotGS1(f"That is too long for a GS1 barcode ({len(text)} characters; at most {MAX_LENGTH}).")
    if _has_control_characters(text):
        raise NotGS1("The barcode contains control characters; scan it again or type the printed text.")
    if text.startswith("("):
        try:
            message = GS1Message.parse_hri(text)
        except ParseError as exc:
            raise NotGS1(f"Not a GS1 barcode: {_reason(str(exc))}") from None
        return _from_message(message)
    result = biip_parse(text, config=ParseConfig(separator_chars=SEPARATORS))
    if result.gtin is not None and text.isdigit() and len(text) in (8, 12, 13, 14):
        # A plain EAN/UPC/GTIN-14 symbol (its digits may also happen to read as element strings).
        return GS1Data(gtin=result.gtin.as_gtin_14(), lot=None, expires_on=None, serial=None)
    if result.gs1_message is not None:
        return _from_message(result.gs1_message)
    if result.gtin is not None:
        return GS1Data(gtin=result.gtin.as_gtin_14(), lot=None, expires_on=None, serial=None)
    if result.gtin_error and "check digit" in result.gtin_error:
        raise NotGS1(f"The GTIN's check digit is wrong: {_reason(result.gtin_error)}")
    reason = result.gs1_message_error or "no GS1 application identifiers found"
    raise NotGS1(f"Not a GS1 barcode: {_reason(reason)}")


def _from_message(message: GS1Message) -> GS1Data:
    found: dict[str, object] = {}
    for element in message.element_strings:
        ai = element.ai.ai
        if ai == "01":
            if element.gtin is None:
                raise NotGS1(f"The GTIN's check digit is wrong: {_reason(element.gtin_error or element.value)}")
            found.setdefault("gtin", element.gtin.as_gtin_14())
        elif ai == "10":
            found.setdefault("lot", element.value)
        elif ai == "17":
            if element.date is None:
                raise NotGS1("The expiry date (17) is not a valid YYMMDD date.")
            found.setdefault("expires_on", element.date)
        elif ai == "21":
            found.setdefault("serial", element.value)
    if not found:
        raise NotGS1("The barcode has none of the identifiers a material needs: GTIN (01), lot (10), expiry (17).")
    return GS1Data(
        gtin=found.get("gtin"), lot=found.get("lot"), expires_on=found.get("expires_on"), serial=found.get("serial")
    )

"""Reading an uploaded table (CSV or XLSX) into a header and rows of text, whatever the source:
UTF-8 with or without BOM, Windows-1252 / Latin-1, comma or semicolon, one sheet of several, cells
that hold formulas (read as the formula's text, never evaluated). Everything is refused above the
documented limits (settings IMPORT_MAX_BYTES, IMPORT_MAX_ROWS) before it costs much."""

import codecs
import csv
import io
import zipfile

from django.conf import settings

from dentallab.exceptions import AppError

XLSX_MAGIC = b"PK\x03\x04"
# An XLSX is a ZIP: its parts' declared sizes are checked before openpyxl inflates them.
MAX_XLSX_INFLATED = 50 * 1024 * 1024


class FileRefused(AppError):
    code = "import_file_refused"

    def __init__(self, message: str, *, field: str = "file"):
        super().__init__(message, field=field)


def max_bytes() -> int:
    return settings.IMPORT_MAX_BYTES


def size_text(size: int) -> str:
    return f"{size / 1_000_000:g} MB" if size >= 1_000_000 else f"{size / 1000:g} KB"


def max_rows() -> int:
    return settings.IMPORT_MAX_ROWS


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 1001.0 from a numeric cell is the account number 1001
    return str(value).strip()


def _decode(data: bytes) -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):  # Excel's "Unicode text"
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise FileRefused("The file says it is UTF-16 but is not.") from None
    for encoding in ("utf-8-sig", "cp1252", "latin-1"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise FileRefused("The file is not text in UTF-8 or Latin-1.")  # latin-1 decodes anything: unreachable


def _read_csv(data: bytes) -> list[list[str]]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = max((",", ";", "\t"), key=first_line.count)
    rows = []
    for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
        rows.append([_text(cell) for cell in row])
        if len(rows) > max_rows() + 1:
            raise FileRefused(f"The file has more than {max_rows():,} rows: split it into smaller files.")
    return rows


def sheet_names(data: bytes) -> list[str]:
    from openpyxl import load_workbook

    workbook = load_workbook(io.BytesIO(data), read_only=True)
    try:
        return workbook.sheetnames
    finally:
        workbook.close()


def _read_xlsx(data: bytes, sheet: str = "") -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_XLSX_INFLATED:
                raise FileRefused("The spreadsheet is too large once unpacked: split it into smaller files.")
        # data_only=False: a formula cell gives its formula as text; nothing is ever evaluated.
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except FileRefused:
        raise
    except Exception:  # noqa: BLE001 - openpyxl raises many kinds for a damaged or foreign file
        raise FileRefused("The file could not be read as an XLSX spreadsheet.") from None
    try:
        if sheet:
            if sheet not in workbook.sheetnames:
                raise FileRefused(
                    f"There is no sheet named {sheet!r}; the sheets are {', '.join(workbook.sheetnames)}.",
                    field="sheet",
                )
            worksheet = workbook[sheet]
        else:
            worksheet = workbook.worksheets[0]
        rows = []
        for row in worksheet.iter_rows(values_only=True):
            rows.append([_text(cell) for cell in row])
            if len(rows) > max_rows() + 1:
                raise FileRefused(f"The file has more than {max_rows():,} rows: split it into smaller files.")
        return rows
    finally:
        workbook.close()


def read_table(upload, *, sheet: str = "") -> tuple[list[str], list[list[str]]]:
    """(header, data rows) of an uploaded CSV or XLSX file. Blank rows are dropped; the header is
    normalised (trimmed, lower case, spaces as underscores)."""
    if upload is None:
        raise FileRefused("Attach a CSV or XLSX file.")
    size = getattr(upload, "size", None)
    if size is not None and size > max_bytes():
        raise FileRefused(f"The file is larger than {size_text(max_bytes())}: split it into smaller files.")
    data = upload.read(max_bytes() + 1)
    if len(data) > max_bytes():
        raise FileRefused(f"The file is larger than {size_text(max_bytes())}: split it into smaller files.")
    name = (getattr(upload, "name", "") or "").lower()
    if data.startswith(XLSX_MAGIC) or name.endswith(".xlsx"):
        rows = _read_xlsx(data, sheet)
    elif name.endswith((".xls", ".ods", ".numbers")):
        raise FileRefused("Save the spreadsheet as XLSX or CSV first.")
    else:
        if b"\x00" in data[:4096] and not data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            raise FileRefused("This is not a CSV file (it holds binary data).")
        rows = _read_csv(data)
    rows = [row for row in rows if any(cell for cell in row)]
    if not rows:
        raise FileRefused("The file is empty: the first row must name the columns.")
    header = [cell.strip().lower().replace(" ", "_").replace("-", "_") for cell in rows[0]]
    return header, rows[1:]

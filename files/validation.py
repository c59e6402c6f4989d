"""Everything an upload must pass before it is stored or marked available.

Names, extensions (per kind, a setting), sizes (declared and received) and content: our own
sniffers, because common libraries recognise none of STL, PLY or OBJ (DESIGN §11). Sniffers read
through a `Source` that fetches byte ranges, so a direct upload is checked with a few small ranged
GETs and never downloaded whole.
"""

import io
import re
import struct
import unicodedata
import zipfile
from dataclasses import dataclass

from django.conf import settings
from django.template.defaultfilters import filesizeformat

from files.exceptions import UploadRejected
from files.models import FileKind

# The type we store and serve, whatever the browser claimed: a file is never served as HTML.
CONTENT_TYPES = {
    "stl": "model/stl",
    "ply": "application/ply",
    "obj": "model/obj",
    "dcm": "application/dicom",
    "zip": "application/zip",
    "jpg": "image/jpeg",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "heic": "image/heic",
    "pdf": "application/pdf",
}

# The kind a file gets when the uploader does not choose one.
INFERRED_KINDS = {
    "stl": FileKind.SCAN,
    "ply": FileKind.SCAN,
    "obj": FileKind.SCAN,
    "dcm": FileKind.SCAN,
    "zip": FileKind.SCAN,
    "jpg": FileKind.PHOTO,
    "jpeg": FileKind.PHOTO,
    "png": FileKind.PHOTO,
    "heic": FileKind.PHOTO,
    "pdf": FileKind.DOCUMENT,
}

MAX_NAME_LENGTH = 180
KEY_NAME_LENGTH = 80
WINDOWS_RESERVED = {"con", "prn", "aux", "nul", *(f"com{i}" for i in range(1, 10)), *(f"lpt{i}" for i in range(1, 10))}
HEAD_BYTES = 64 * 1024
TAIL_BYTES = 1024


# ---- settings ----------------------------------------------------------------------------------


def allowed_extensions() -> dict[str, list[str]]:
    configured = settings.FILE_ALLOWED_EXTENSIONS
    return {str(kind): [ext.lower().lstrip(".") for ext in exts] for kind, exts in configured.items()}


def max_upload_bytes() -> int:
    return settings.FILE_UPLOAD_MAX_BYTES


def app_upload_limit() -> int:
    """The largest file the app itself accepts: 4 MB where uploads must go straight to storage
    (UPLOADS_DIRECT_ONLY, e.g. on Vercel), else FILE_UPLOAD_MAX_BYTES."""
    limit = min(settings.MAX_APP_UPLOAD_BYTES, max_upload_bytes())
    if settings.UPLOADS_DIRECT_ONLY:
        return min(settings.DIRECT_ONLY_MAX_APP_UPLOAD_BYTES, limit)
    return limit


def zip_limits() -> tuple[int, int, int]:
    """(max entries, max total declared uncompressed bytes, max compression ratio)."""
    return (
        settings.FILE_ZIP_MAX_ENTRIES,
        settings.FILE_ZIP_MAX_UNCOMPRESSED_BYTES,
        settings.FILE_ZIP_MAX_RATIO,
    )


# ---- names, kinds, sizes -----------------------------------------------------------------------


def extension_of(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def clean_name(raw: str) -> str:
    """The name to show and to put in Content-Disposition. Refuses paths, control characters and
    reserved names; shortens long names, keeping the extension."""
    display = (raw or "").strip()
    if not display:
        raise UploadRejected("(no name)", "the file has no name.", field="name")
    if any(unicodedata.category(ch) in ("Cc", "Cf", "Zl", "Zp") for ch in display):
        raise UploadRejected(_printable(display), "the name contains control characters.", field="name")
    if "/" in display or "\\" in display or display in (".", "..") or ":" in display:
        raise UploadRejected(
            display, "the name contains a folder or drive path; send the file name only.", field="name"
        )
    display = unicodedata.normalize("NFC", display)
    stem = display.rsplit(".", 1)[0] if "." in display else display
    if stem.strip(". ").lower() in WINDOWS_RESERVED or not stem.strip(". "):
        raise UploadRejected(display, "that name is reserved; rename the file.", field="name")
    if len(display) > MAX_NAME_LENGTH:
        ext = extension_of(display)
        keep = MAX_NAME_LENGTH - len(ext) - 1
        display = display[:keep].rstrip() + "." + ext if ext and keep > 0 else display[:MAX_NAME_LENGTH]
    return display


def key_name(display: str) -> str:
    """An ASCII-only, URL-safe name for the object key."""
    ascii_name = unicodedata.normalize("NFKD", display).encode("ascii", "ignore").decode()
    ext = extension_of(ascii_name)
    stem = ascii_name.rsplit(".", 1)[0] if ext else ascii_name
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-._")[: KEY_NAME_LENGTH - len(ext) - 1] or "file"
    return f"{stem}.{ext}" if ext else stem


def _printable(name: str) -> str:
    return "".join(ch if unicodedata.category(ch)[0] != "C" else "?" for ch in name)[:MAX_NAME_LENGTH]


@dataclass(frozen=True)
class Declared:
    name: str  # cleaned display name
    extension: str
    kind: str
    content_type: str
    size: int | None


def check_declared(*, name: str, kind: str | None, size: int | None) -> Declared:
    """Name, kind, extension and declared size: everything known before a byte arrives."""
    display = clean_name(name)
    ext = extension_of(display)
    allowed = allowed_extensions()
    if kind in (None, ""):
        kind = INFERRED_KINDS.get(ext, FileKind.OTHER)
    if kind not in FileKind.values:
        raise UploadRejected(
            display, f"“{kind}” is not a kind of file; choose one of {', '.join(FileKind.values)}.", field="kind"
        )
    kind_exts = allowed.get(kind, [])
    if not ext or ext not in kind_exts or ext not in SNIFFERS:
        listed = ", ".join(f".{e}" for e in kind_exts) or "none"
        label = FileKind(kind).label.lower()
        reason = f"files of type “.{ext}” are not accepted" if ext else "the file has no extension"
        raise UploadRejected(display, f"{reason} as a {label} (allowed: {listed}).", field="name")
    if size is not None:
        check_size(display, size, field="size")
    return Declared(name=display, extension=ext, kind=kind, content_type=CONTENT_TYPES[ext], size=size)


def check_size(name: str, size: int, *, field: str = "file") -> None:
    if size <= 0:
        raise UploadRejected(name, "the file is empty.", field=field)
    limit = max_upload_bytes()
    if size > limit:
        raise UploadRejected(
            name, f"the file is {filesizeformat(size)}; the limit is {filesizeformat(limit)}.", field=field, status=413
        )


# ---- content -------------------------------------------------------------------------------------


class Source:
    """Random access to the bytes of an upload (a local file or an object in the bucket)."""

    size: int

    def read(self, start: int, length: int) -> bytes:  # pragma: no cover — interface
        raise NotImplementedError

    def head(self, length: int = HEAD_BYTES) -> bytes:
        return self.read(0, min(length, self.size))

    def tail(self, length: int = TAIL_BYTES) -> bytes:
        length = min(length, self.size)
        return self.read(self.size - length, length)


class FileSource(Source):
    def __init__(self, fileobj, size: int):
        self.fileobj, self.size = fileobj, size

    def read(self, start: int, length: int) -> bytes:
        self.fileobj.seek(start)
        return self.fileobj.read(length)


class BytesSource(FileSource):
    def __init__(self, data: bytes):
        super().__init__(io.BytesIO(data), len(data))


def check_content(source: Source, declared: Declared) -> None:
    """Does the content match the extension? Raises UploadRejected with the reason."""
    check_size(declared.name, source.size)
    reason = SNIFFERS[declared.extension](source)
    if reason:
        raise UploadRejected(declared.name, reason)


def _text_head(source: Source) -> str | None:
    head = source.head()
    if b"\x00" in head:
        return None
    # A multi-byte character may be cut at the end of the range.
    return head.decode("utf-8", errors="ignore" if len(head) < source.size else "strict")


def sniff_stl(source: Source) -> str | None:
    # Binary first: binary files may also begin with "solid".
    if source.size >= 84:
        (count,) = struct.unpack("<I", source.read(80, 4))
        if source.size == 84 + 50 * count:
            return None if count else "the STL file contains no triangles."
    try:
        text = _text_head(source)
    except UnicodeDecodeError:
        text = None
    if text is None:
        return "this is not an STL file (a binary STL must be 84 + 50 × triangles bytes long)."
    stripped = text.lstrip()
    if not stripped.lower().startswith("solid"):
        return "this is not an STL file (no binary STL structure and no “solid” header)."
    lowered = text.lower()
    if "facet normal" not in lowered and "endsolid" not in lowered:
        return "this is not an ASCII STL file (no “facet normal” after “solid”)."
    if b"endsolid" not in source.tail(TAIL_BYTES).lower():
        return "the ASCII STL file is incomplete (no “endsolid” at the end)."
    return None


PLY_FORMAT = re.compile(rb"^format (ascii|binary_little_endian|binary_big_endian) 1\.0\s*$", re.MULTILINE)


def sniff_ply(source: Source) -> str | None:
    head = source.head()
    if not (head.startswith(b"ply\n") or head.startswith(b"ply\r\n")):
        return "this is not a PLY file (it must start with a “ply” line)."
    end = head.find(b"end_header")
    if end < 0:
        return "this is not a PLY file (no “end_header” in the first 64 KB)."
    if not PLY_FORMAT.search(head[:end]):
        return "this is not a PLY file (no “format ascii|binary_little_endian|binary_big_endian 1.0” line)."
    return None


OBJ_KEYWORDS = {
    "v", "vn", "vt", "vp", "f", "l", "p", "o", "g", "s", "mtllib", "usemtl",
    "cstype", "deg", "curv", "curv2", "surf", "parm", "trim", "hole", "end", "mg", "bmat", "step",
}  # fmt: skip
OBJ_GEOMETRY = {"v", "f"}


def sniff_obj(source: Source) -> str | None:
    try:
        text = _text_head(source)
    except UnicodeDecodeError:
        return "this is not an OBJ file (it is not UTF-8 text)."
    if text is None:
        return "this is not an OBJ file (it contains binary data)."
    lines = text.splitlines()
    if len(text.encode()) < source.size and lines:
        lines = lines[:-1]  # the last line may be cut by the range
    seen_geometry = False
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword = line.split(None, 1)[0]
        if keyword not in OBJ_KEYWORDS:
            return f"this is not an OBJ file (line {number} starts with “{keyword[:20]}”)."
        seen_geometry = seen_geometry or keyword in OBJ_GEOMETRY
    if not seen_geometry and source.size <= HEAD_BYTES:
        return "this OBJ file has no vertices or faces."
    if not seen_geometry and not lines:
        return "this is not an OBJ file."
    return None


def _signature(prefix: bytes, label: str):
    def sniff(source: Source) -> str | None:
        return None if source.head(len(prefix)) == prefix else f"this is not a {label} file (wrong signature)."

    return sniff


def sniff_heic(source: Source) -> str | None:
    head = source.head(32)
    brands = {b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"mif1", b"msf1"}
    if len(head) >= 12 and head[4:8] == b"ftyp" and head[8:12] in brands:
        return None
    return "this is not a HEIC image (wrong signature)."


def sniff_pdf(source: Source) -> str | None:
    return None if b"%PDF-" in source.head(1024) else "this is not a PDF document (no “%PDF-” header)."


def sniff_dcm(source: Source) -> str | None:
    """DICOM (CBCT) with its 128-byte preamble, or a 3Shape DCM mesh (HPS XML)."""
    head = source.head(1024)
    if len(head) >= 132 and head[128:132] == b"DICM":
        return None
    if head.lstrip(b"\xef\xbb\xbf \r\n\t").startswith(b"<?xml") and b"<HPS" in head:
        return None
    return "this is neither a DICOM file nor a 3Shape DCM scan (wrong signature)."


NESTED_ARCHIVES = (".zip", ".7z", ".rar", ".tar", ".gz", ".tgz", ".bz2", ".xz")


def sniff_zip(source: Source) -> str | None:
    """A ZIP's central directory is attacker-controlled: cap entries, declared sizes and ratios,
    refuse unsafe paths, nested archives and overlapping entries (the "better zip bomb")."""
    if source.head(4) != b"PK\x03\x04":
        return "this is not a ZIP archive (wrong signature)."
    max_entries, max_total, max_ratio = zip_limits()
    tail = source.tail(min(source.size, 65536 + 22))
    eocd = tail.rfind(b"PK\x05\x06")
    if eocd < 0 or len(tail) - eocd < 22:
        return "the ZIP archive is damaged (no end of central directory)."
    _, _, _, entries, cd_size, _, _ = struct.unpack("<IHHHHII", tail[eocd : eocd + 20])
    if entries != 0xFFFF and entries > max_entries:
        return f"the ZIP archive has {entries} entries; at most {max_entries} are accepted."
    if cd_size != 0xFFFFFFFF and cd_size > max_entries * (46 + 1024) + 65536:
        return "the ZIP archive's directory is too large."
    try:
        archive = zipfile.ZipFile(_RangeFile(source))
        infos = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError, struct.error, EOFError):
        return "the ZIP archive is damaged (the directory cannot be read)."
    if not infos:
        return "the ZIP archive is empty."
    if len(infos) > max_entries:
        return f"the ZIP archive has {len(infos)} entries; at most {max_entries} are accepted."
    total = 0
    for info in infos:
        name = info.filename
        parts = name.replace("\\", "/").split("/")
        if name.startswith(("/", "\\")) or re.match(r"^[A-Za-z]:", name) or ".." in parts:
            return f"the ZIP archive contains an unsafe path (“{_printable(name)[:80]}”)."
        if name.lower().endswith(NESTED_ARCHIVES):
            shown = _printable(name)[:80]
            return f"the ZIP archive contains another archive (“{shown}”); nested archives are not accepted."
        total += info.file_size
        if total > max_total:
            return f"the ZIP archive would unpack to more than {filesizeformat(max_total)}."
        if info.file_size > 1024 * 1024 and info.file_size > max(info.compress_size, 1) * max_ratio:
            return f"the ZIP archive compresses “{_printable(name)[:80]}” more than {max_ratio}:1 (a zip bomb?)."
    spans = sorted((info.header_offset, info.header_offset + 30 + info.compress_size) for info in infos)
    for (_, end), (start, _) in zip(spans, spans[1:], strict=False):
        if start < end:
            return "the ZIP archive has overlapping entries (a zip bomb?)."
    return None


class _RangeFile(io.RawIOBase):
    """A seekable read-only file over a Source, for zipfile (which reads only the directory)."""

    def __init__(self, source: Source):
        self.source, self.pos = source, 0

    def readable(self):
        return True

    def seekable(self):
        return True

    def tell(self):
        return self.pos

    def seek(self, offset, whence=io.SEEK_SET):
        base = {io.SEEK_SET: 0, io.SEEK_CUR: self.pos, io.SEEK_END: self.source.size}[whence]
        self.pos = max(0, base + offset)
        return self.pos

    def read(self, size=-1):
        if size is None or size < 0:
            size = self.source.size - self.pos
        size = min(size, self.source.size - self.pos, 16 * 1024 * 1024)
        if size <= 0:
            return b""
        data = self.source.read(self.pos, size)
        self.pos += len(data)
        return data

    def readinto(self, buffer):
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


SNIFFERS = {
    "stl": sniff_stl,
    "ply": sniff_ply,
    "obj": sniff_obj,
    "dcm": sniff_dcm,
    "zip": sniff_zip,
    "jpg": _signature(b"\xff\xd8\xff", "JPEG"),
    "jpeg": _signature(b"\xff\xd8\xff", "JPEG"),
    "png": _signature(b"\x89PNG\r\n\x1a\n", "PNG"),
    "heic": sniff_heic,
    "pdf": sniff_pdf,
}

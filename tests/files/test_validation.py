"""Every check an upload must pass before it is stored: names, kinds, sizes and content."""

import struct
import zipfile

import pytest

from files.validation import BytesSource, UploadRejected, check_content, check_declared, clean_name, key_name
from tests.files import samples


def content_of(name, data, kind=None):
    check_content(BytesSource(data), check_declared(name=name, kind=kind, size=len(data)))


@pytest.mark.parametrize("name", sorted(samples.VALID))
def test_every_sample_of_an_accepted_type_passes(name):
    content_of(name, samples.VALID[name])


def test_a_binary_stl_that_starts_with_solid_is_still_binary():
    content_of("crown.stl", samples.binary_stl(5, header=b"solid exported by a scanner"))


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("crown.stl", b"GIF89a" + b"\x00" * 200, "not an STL file"),
        ("crown.stl", samples.binary_stl(4)[:-1], "not an STL file"),
        ("crown.stl", samples.binary_stl(0), "no triangles"),
        ("crown.stl", b"solid crown\nthis is not a facet\n", "no “facet normal”"),
        ("crown.stl", samples.ASCII_STL.replace(b"endsolid crown", b"truncated"), "incomplete"),
        ("arch.ply", b"PLY\nformat ascii 1.0\nend_header\n", "must start with a “ply” line"),
        ("arch.ply", b"ply\nformat ascii 2.0\nend_header\n", "no “format"),
        ("arch.ply", b"ply\nformat ascii 1.0\nelement vertex 3\n", "no “end_header”"),
        ("tooth.obj", b"<html><script>alert(1)</script></html>\n", "line 1 starts with"),
        ("tooth.obj", b"v 0 0 0\x00\x01binary", "binary data"),
        ("tooth.obj", b"# only a comment\n", "no vertices"),
        ("photo.jpg", samples.PNG, "not a JPEG"),
        ("photo.png", samples.JPEG, "not a PNG"),
        ("photo.heic", samples.JPEG, "not a HEIC"),
        ("rx.pdf", b"<html>not a pdf</html>", "not a PDF"),
        ("cbct.dcm", b"\x00" * 200, "neither a DICOM"),
        ("export.zip", samples.PDF, "not a ZIP"),
    ],
)
def test_content_that_does_not_match_the_extension_is_refused_naming_file_and_reason(name, data, reason):
    with pytest.raises(UploadRejected) as exc:
        content_of(name, data)
    assert f"“{name}” was not accepted" in exc.value.message
    assert reason in exc.value.message


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.stl", "..\\..\\boot.ini.stl", "/etc/crown.stl", "C:\\scans\\crown.stl", "scans/crown.stl", ".."],
)
def test_names_with_paths_are_refused(name):
    with pytest.raises(UploadRejected) as exc:
        check_declared(name=name, kind="scan", size=10)
    assert "path" in exc.value.reason or "reserved" in exc.value.reason


@pytest.mark.parametrize("name", ["crown\x00.stl", "crown\n.stl", "evil\u202egpj.stl", "tab\t.stl"])
def test_names_with_control_characters_are_refused(name):
    with pytest.raises(UploadRejected, match="control characters"):
        check_declared(name=name, kind="scan", size=10)


@pytest.mark.parametrize("name", ["CON.stl", "nul.pdf", "com1.jpg", "LPT9.png", "....stl", " .stl"])
def test_reserved_names_are_refused(name):
    with pytest.raises(UploadRejected, match="reserved"):
        check_declared(name=name, kind=None, size=10)


def test_long_names_are_shortened_keeping_the_extension():
    name = clean_name("a" * 400 + ".stl")
    assert len(name) <= 180 and name.endswith(".stl")


def test_object_key_names_are_ascii_and_url_safe():
    assert key_name("Zahn 21 (oben) – Ünterkiefer.STL") == "Zahn-21-oben-Unterkiefer.stl"
    assert key_name("日本.stl") == "file.stl"


@pytest.mark.parametrize(
    ("name", "kind", "reason"),
    [
        ("virus.exe", None, "“.exe” are not accepted"),
        ("page.html", "document", "“.html” are not accepted as a document"),
        ("crown.stl", "photo", "“.stl” are not accepted as a photo"),
        ("README", None, "no extension"),
    ],
)
def test_unknown_or_wrong_kind_extensions_are_refused(name, kind, reason):
    with pytest.raises(UploadRejected) as exc:
        check_declared(name=name, kind=kind, size=10)
    assert reason in exc.value.reason
    assert "allowed:" in exc.value.reason


def test_an_unknown_kind_is_refused_on_the_kind_field():
    with pytest.raises(UploadRejected) as exc:
        check_declared(name="crown.stl", kind="xray", size=10)
    assert exc.value.field == "kind"


def test_the_kind_is_inferred_from_the_extension():
    assert check_declared(name="crown.STL", kind="", size=10).kind == "scan"
    assert check_declared(name="smile.jpeg", kind=None, size=10).kind == "photo"
    assert check_declared(name="rx.pdf", kind=None, size=10).kind == "document"


def test_the_allow_list_is_a_setting(settings):
    settings.FILE_ALLOWED_EXTENSIONS = {"scan": ["stl"], "photo": [], "design": [], "document": [], "other": []}
    with pytest.raises(UploadRejected):
        check_declared(name="arch.ply", kind="scan", size=10)
    assert check_declared(name="crown.stl", kind="scan", size=10).content_type == "model/stl"


def test_the_content_type_is_ours_not_the_browsers():
    assert check_declared(name="tooth.obj", kind=None, size=10).content_type == "model/obj"


def test_an_empty_file_is_refused():
    with pytest.raises(UploadRejected, match="empty"):
        check_declared(name="crown.stl", kind=None, size=0)
    with pytest.raises(UploadRejected, match="empty"):
        check_content(BytesSource(b""), check_declared(name="crown.stl", kind=None, size=None))


def test_oversize_is_refused_on_the_declared_size_and_on_the_bytes(settings):
    settings.FILE_UPLOAD_MAX_BYTES = 100
    with pytest.raises(UploadRejected) as exc:
        check_declared(name="crown.stl", kind=None, size=101)
    assert exc.value.status == 413 and "the limit is 100\xa0bytes" in exc.value.reason
    declared = check_declared(name="crown.stl", kind=None, size=100)
    with pytest.raises(UploadRejected, match="the limit is 100\xa0bytes"):
        check_content(BytesSource(samples.binary_stl(3)), declared)


# ---- ZIP archives: the central directory is attacker-controlled -----------------------------


def test_a_zip_with_a_traversal_path_is_refused():
    with pytest.raises(UploadRejected, match="unsafe path"):
        content_of("export.zip", samples.zip_archive({"../../evil.stl": samples.binary_stl()}))


def test_a_zip_with_an_absolute_path_is_refused():
    with pytest.raises(UploadRejected, match="unsafe path"):
        content_of("export.zip", samples.zip_archive({"/etc/cron.d/evil": b"x"}))


def test_a_zip_inside_a_zip_is_refused():
    with pytest.raises(UploadRejected, match="nested archives"):
        content_of("export.zip", samples.zip_archive({"inner.zip": samples.zip_archive()}))


def test_a_zip_with_too_many_entries_is_refused(settings):
    settings.FILE_ZIP_MAX_ENTRIES = 10
    archive = samples.zip_archive({f"tooth-{i}.stl": samples.binary_stl() for i in range(11)})
    with pytest.raises(UploadRejected, match="11 entries; at most 10"):
        content_of("export.zip", archive)


def test_a_zip_bomb_is_refused_by_its_compression_ratio():
    bomb = samples.zip_archive({"zeros.stl": b"\x00" * (20 * 1024 * 1024)})
    with pytest.raises(UploadRejected, match="more than 100:1"):
        content_of("export.zip", bomb)


def test_a_zip_whose_declared_sizes_add_up_too_high_is_refused(settings):
    settings.FILE_ZIP_MAX_UNCOMPRESSED_BYTES = 1000
    archive = samples.zip_archive({"a.stl": b"a" * 600, "b.stl": b"b" * 600}, compression=zipfile.ZIP_STORED)
    with pytest.raises(UploadRejected, match="unpack to more than"):
        content_of("export.zip", archive)


def test_a_zip_with_overlapping_entries_is_refused():
    """Fifield's "better zip bomb": many directory entries pointing at the same data."""
    archive = bytearray(samples.zip_archive({"a.stl": b"a" * 100, "b.stl": b"b" * 100}, compression=zipfile.ZIP_STORED))
    eocd = archive.rfind(b"PK\x05\x06")
    cd_offset = struct.unpack("<I", archive[eocd + 16 : eocd + 20])[0]
    second = archive.find(b"PK\x01\x02", cd_offset + 4)
    archive[second + 42 : second + 46] = struct.pack("<I", 0)  # the second entry's data = the first's
    with pytest.raises(UploadRejected, match="overlapping"):
        content_of("export.zip", bytes(archive))


def test_a_damaged_or_empty_zip_is_refused():
    with pytest.raises(UploadRejected, match="damaged"):
        content_of("export.zip", b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(UploadRejected, match="damaged|empty"):
        content_of("export.zip", b"PK\x03\x04" + samples.zip_archive({})[4:])

"""Small, valid (and deliberately invalid) files of every accepted type, built in memory."""

import io
import struct
import zipfile

TRIANGLE = struct.pack("<12fH", 0, 0, 1, 0, 0, 0, 10, 0, 0, 0, 10, 0, 0)


def binary_stl(triangles: int = 2, header: bytes = b"binary stl") -> bytes:
    return header.ljust(80, b" ") + struct.pack("<I", triangles) + TRIANGLE * triangles


def binary_stl_chunks(triangles: int, chunk_triangles: int = 20_000):
    """A binary STL as a stream of chunks (a pyramid-ish fan): never the whole file in memory."""
    yield b"solid but really binary".ljust(80, b" ") + struct.pack("<I", triangles)
    chunk = TRIANGLE * chunk_triangles
    full, rest = divmod(triangles, chunk_triangles)
    for _ in range(full):
        yield chunk
    if rest:
        yield TRIANGLE * rest


def binary_stl_size(triangles: int) -> int:
    return 84 + 50 * triangles


ASCII_STL = (
    b"solid crown\n facet normal 0 0 1\n  outer loop\n   vertex 0 0 0\n   vertex 10 0 0\n   vertex 0 10 0\n"
    b"  endloop\n endfacet\nendsolid crown\n"
)
PLY = (
    b"ply\nformat ascii 1.0\nelement vertex 3\nproperty float x\nproperty float y\nproperty float z\n"
    b"element face 1\nproperty list uchar int vertex_indices\nend_header\n0 0 0\n10 0 0\n0 10 0\n3 0 1 2\n"
)
OBJ = b"# exported\no tooth\nv 0 0 0\nv 10 0 0\nv 0 10 0\nvn 0 0 1\nf 1 2 3\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 200 + b"\xff\xd9"
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360f8cfc0f01f0005000201a3a4e7"
    "8e0000000049454e44ae426082"
)
HEIC = b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic" + b"\x00" * 64
PDF = b"%PDF-1.7\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"
DICOM = b"\x00" * 128 + b"DICM" + b"\x02\x00\x00\x00UL\x04\x00" + b"\x00" * 64


def zip_archive(entries: dict[str, bytes] | None = None, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=compression) as archive:
        for name, data in (
            entries if entries is not None else {"upper.stl": binary_stl(), "lower.stl": binary_stl(3)}
        ).items():
            archive.writestr(name, data)
    return buffer.getvalue()


VALID = {
    "crown.stl": binary_stl(),
    "crown-ascii.stl": ASCII_STL,
    "arch.ply": PLY,
    "tooth.obj": OBJ,
    "photo.jpg": JPEG,
    "photo.png": PNG,
    "photo.heic": HEIC,
    "rx.pdf": PDF,
    "cbct.dcm": DICOM,
    "export.zip": zip_archive(),
}


def crown_stl(segments: int = 72, rings: int = 36) -> bytes:
    """A molar-crown-like closed mesh (a squashed sphere with four cusps), as a binary STL, in mm."""
    import math

    def point(i, j):
        theta = 2 * math.pi * (i % segments) / segments
        phi = math.pi * j / rings
        top = max(0.0, math.cos(phi))
        radius = 5.0 + 0.5 * math.cos(4 * theta) * math.sin(phi) ** 2 + 0.8 * top**3 * math.cos(2 * theta) ** 2
        return (
            radius * math.sin(phi) * math.cos(theta) * 1.1,
            radius * math.sin(phi) * math.sin(theta),
            radius * math.cos(phi) * 0.8 + 2.0,
        )

    triangles = []
    for j in range(rings):
        for i in range(segments):
            a, b, c, d = point(i, j), point(i + 1, j), point(i, j + 1), point(i + 1, j + 1)
            if j > 0:
                triangles.append((a, c, b))
            if j < rings - 1:
                triangles.append((b, c, d))
    body = b"".join(struct.pack("<12fH", 0, 0, 0, *p1, *p2, *p3, 0) for p1, p2, p3 in triangles)
    return b"crown".ljust(80, b" ") + struct.pack("<I", len(triangles)) + body


def gradient_png(width: int = 96, height: int = 64) -> bytes:
    """A small real PNG (a teal gradient), so thumbnails show something."""
    import zlib

    rows = b"".join(
        b"\x00" + b"".join(bytes((20 + x, 110 + y, 120 + x // 2)) for x in range(width)) for y in range(height)
    )

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")

"""Demo design files (seed_demo): every demo case that went to the dentist for approval has a
design file, as DESIGN_APPROVAL_REQUIRES_FILE asks (idempotent)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Role, User
from cases.models import Case, Status, TimelineEvent
from files.models import CaseFile, FileKind, FileState
from files.services import receive_upload


def _crown_stl(name: str) -> bytes:
    """A small closed ASCII STL (a four-sided pyramid): enough for the 3D viewer."""
    apex, base = (0.0, 0.0, 6.0), [(-4.0, -4.0, 0.0), (4.0, -4.0, 0.0), (4.0, 4.0, 0.0), (-4.0, 4.0, 0.0)]
    faces = [(base[i], base[(i + 1) % 4], apex) for i in range(4)] + [
        (base[0], base[2], base[1]),
        (base[0], base[3], base[2]),
    ]
    lines = [f"solid {name}"]
    for face in faces:
        lines.append("  facet normal 0 0 0\n    outer loop")
        lines += [f"      vertex {x} {y} {z}" for x, y, z in face]
        lines.append("    endloop\n  endfacet")
    lines.append(f"endsolid {name}")
    return ("\n".join(lines) + "\n").encode()


def seed_designs() -> int:
    """Attach a design to the demo cases that were sent for approval and have none."""
    technician = User.objects.filter(role=Role.TECHNICIAN, is_active=True).order_by("id").first()
    if technician is None:
        return 0
    sent = TimelineEvent.objects.filter(kind="status", to_status=Status.AWAITING_APPROVAL).values("case_id")
    have = CaseFile.objects.filter(kind=FileKind.DESIGN, state=FileState.AVAILABLE).values("case_id")
    created = 0
    for case in Case.objects.filter(pk__in=sent).exclude(pk__in=have):
        name = f"design-{case.number}.stl"
        upload = SimpleUploadedFile(name, _crown_stl(name.removesuffix(".stl")), content_type="model/stl")
        receive_upload(case=case, actor=technician, uploaded=upload, kind=FileKind.DESIGN)
        created += 1
    return created

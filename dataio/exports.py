"""Everything a lab owns, out (DESIGN §18): one CSV per kind and a ZIP of all of them with a
manifest of the stored files (key, case, name, size, sha256: the list, not the bytes). No password
hashes; cells that start like a formula are neutralised (a leading quote). The practices, dentists
and products files have exactly the import columns, so an export imports back to the same rows."""

import csv
import io
import tempfile
import zipfile

from django.apps import apps
from django.utils import timezone

from accounts.models import Practice, Role, User
from cases.models import Case, CaseItem, Product, TimelineEvent
from dataio.services import KINDS
from dentallab.exceptions import NotFound

NEUTRALISE = ("=", "+", "-", "@", "\t", "\r")
CHUNK = 2000


def csv_safe(value) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(NEUTRALISE) else text


def _stamp(value) -> str:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else ""


def _practices():
    yield KINDS["practices"].columns
    for p in Practice.objects.order_by("account_number", "pk").iterator(chunk_size=CHUNK):
        yield (p.account_number, p.name, p.email, p.phone, p.address)


def _dentists():
    yield KINDS["dentists"].columns
    dentists = User.objects.filter(role=Role.DENTIST).select_related("practice").order_by("email")
    for u in dentists.iterator(chunk_size=CHUNK):
        yield (u.email, u.name, u.practice.account_number if u.practice else "")


def _products():
    yield KINDS["products"].columns
    for p in Product.objects.order_by("code").iterator(chunk_size=CHUNK):
        yield (p.code, p.name, p.category, p.unit, f"{p.price:.2f}", p.turnaround_days)


def _users():
    yield ("email", "name", "role", "practice_account_number", "active", "date_joined", "last_login")
    for u in User.objects.select_related("practice").order_by("email").iterator(chunk_size=CHUNK):
        yield (
            u.email, u.name, u.role, u.practice.account_number if u.practice else "", "yes" if u.is_active else "no",
            _stamp(u.date_joined), _stamp(u.last_login),
        )  # fmt: skip


def _cases():
    yield (
        "number", "status", "priority", "practice_account_number", "practice", "dentist_email", "patient_name",
        "received_at", "due_date", "ship_by", "shipped_at", "delivered_at", "pan_number", "shade", "instructions",
        "technician_email", "tracking_number", "remake_of", "remake_reason", "remake_responsibility", "created_at",
    )  # fmt: skip
    cases = Case.objects.select_related("practice", "dentist", "assigned_technician", "remake_of").order_by("pk")
    for c in cases.iterator(chunk_size=CHUNK):
        yield (
            c.number, c.status, c.priority, c.practice.account_number, c.practice.name, c.dentist.email,
            c.patient_name, _stamp(c.received_at), c.due_date or "", c.ship_by or "", _stamp(c.shipped_at),
            _stamp(c.delivered_at), c.pan_number, c.shade, c.instructions,
            c.assigned_technician.email if c.assigned_technician else "", c.tracking_number,
            c.remake_of.number if c.remake_of else "", c.remake_reason, c.remake_responsibility, _stamp(c.created_at),
        )  # fmt: skip


def _case_items():
    yield ("case", "product_code", "product", "teeth", "shade", "material", "quantity", "unit_price")
    items = CaseItem.objects.select_related("case", "product").order_by("case_id", "pk")
    for i in items.iterator(chunk_size=CHUNK):
        yield (
            i.case.number, i.product.code, i.product.name, " ".join(str(t) for t in i.teeth), i.shade, i.material,
            i.quantity, f"{i.unit_price:.2f}",
        )  # fmt: skip


def _events(notes: bool):
    def rows():
        if notes:
            yield ("case", "created_at", "author_email", "internal", "body")
        else:
            yield ("case", "created_at", "kind", "actor_email", "from_status", "to_status", "internal", "body")
        events = TimelineEvent.objects.select_related("case", "actor").order_by("case_id", "created_at", "pk")
        events = events.filter(kind="note") if notes else events.exclude(kind="note")
        for e in events.iterator(chunk_size=CHUNK):
            actor = e.actor.email if e.actor else ""
            internal = "yes" if e.internal else "no"
            if notes:
                yield (e.case.number, _stamp(e.created_at), actor, internal, e.body)
            else:
                yield (e.case.number, _stamp(e.created_at), e.kind, actor, e.from_status, e.to_status, internal, e.body)

    return rows


def _files():
    yield ("key", "case", "name", "kind", "size", "sha256", "state", "uploaded_at")
    if not apps.is_installed("files"):
        return
    CaseFile = apps.get_model("files", "CaseFile")
    for f in CaseFile.objects.select_related("case").order_by("case_id", "pk").iterator(chunk_size=CHUNK):
        yield (f.object_key, f.case.number, f.original_name, f.kind, f.size, f.sha256, f.state, _stamp(f.created_at))


# name → rows (header first). Billing's invoices and payments join this list when billing exists.
EXPORTS = {
    "practices": _practices,
    "dentists": _dentists,
    "products": _products,
    "users": _users,
    "cases": _cases,
    "case_items": _case_items,
    "notes": _events(notes=True),
    "events": _events(notes=False),
    "files": _files,
}


def rows_for(kind: str):
    if kind not in EXPORTS:
        raise NotFound(f"Nothing to export as {kind!r}.", field="kind")
    return EXPORTS[kind]()


def write_csv(kind: str, out) -> int:
    writer = csv.writer(out)
    count = -1
    for row in rows_for(kind):
        writer.writerow([csv_safe(cell) for cell in row])
        count += 1
    return count


def csv_text(kind: str) -> str:
    buffer = io.StringIO()
    write_csv(kind, buffer)
    return buffer.getvalue()


def zip_file():
    """A temporary file holding the ZIP (spilled to disk past 10 MB), positioned at its start, and
    the names it holds: every export as CSV plus manifest.csv (each file's name and row count)."""
    spooled = tempfile.SpooledTemporaryFile(max_size=10 * 1024 * 1024)  # noqa: SIM115 - the response closes it
    manifest = [("file", "rows")]
    with zipfile.ZipFile(spooled, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for kind in EXPORTS:
            name = "files_manifest.csv" if kind == "files" else f"{kind}.csv"
            with archive.open(name, "w") as raw, io.TextIOWrapper(raw, encoding="utf-8", newline="") as text:
                manifest.append((name, write_csv(kind, text)))
        buffer = io.StringIO()
        csv.writer(buffer).writerows(manifest)
        archive.writestr("manifest.csv", buffer.getvalue())
    spooled.seek(0)
    return spooled, [name for name, _ in manifest[1:]]

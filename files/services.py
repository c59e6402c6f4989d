"""Writes to case files. Each service runs in one transaction and records a timeline event and an
audit event in that same transaction; storage is reached only through files.storage.

A rejected upload leaves no row and no object behind, and an audit FILE_REJECTED record. The audit
detail holds the reason, extension and size but never the file name (scanner exports are often
named after the patient)."""

import datetime
import uuid

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from accounts.audit import AuditAction, AuditOutcome, record
from accounts.models import User
from cases.models import Case, EventKind, Status, TimelineEvent
from files import storage
from files.models import CaseFile, FileState
from files.validation import Declared, FileSource, UploadRejected, check_content, check_declared, human_size

# Dentists may remove their own uploads until the lab has the case in hand.
DENTIST_DELETABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED)


class CompleteConflict(Exception):
    """`complete` on a file that is not a pending direct upload (HTTP 409)."""


def new_object_key(case: Case, declared: Declared) -> str:
    from files.validation import key_name

    return f"cases/{case.pk}/{uuid.uuid4().hex}/{key_name(declared.name)}"


RETAINED_MESSAGE = "This document is kept by law (a statement of manufacture); nobody can remove it."


def can_delete(user: User, file: CaseFile) -> bool:
    """Nobody removes a retained file; lab staff any other; the uploader only before the lab has
    received the case."""
    if file.retained:
        return False
    if user.is_lab_staff:
        return True
    return file.uploaded_by_id == user.pk and file.case.status in DENTIST_DELETABLE_STATUSES


def record_rejection(*, case: Case, actor: User, exc: UploadRejected, request=None, size: int | None = None) -> None:
    """Audit a refused upload (outside the failed transaction, so the record survives)."""
    ext = exc.name.rsplit(".", 1)[-1].lower()[:10] if "." in exc.name else ""
    record(
        AuditAction.FILE_REJECTED,
        request=request,
        actor=actor,
        outcome=AuditOutcome.FAILURE,
        case_id=case.pk,
        detail={"reason": exc.reason, "field": exc.field, "extension": ext, "size": size},
    )


def _uploaded_event(file: CaseFile, actor: User, request, *, direct: bool) -> None:
    TimelineEvent.objects.create(
        case=file.case,
        actor=actor,
        kind=EventKind.FILE_UPLOADED,
        body=f"{file.original_name} ({human_size(file.size)})",
        data={"file_id": file.pk, "kind": file.kind, "size": file.size},
    )
    record(
        AuditAction.FILE_UPLOADED,
        request=request,
        actor=actor,
        obj=file,
        case_id=file.case_id,
        detail={"kind": file.kind, "size": file.size, "direct": direct},
    )


# ---- through the app ---------------------------------------------------------------------------


def receive_upload(*, case: Case, actor: User, uploaded, kind: str | None, request=None) -> CaseFile:
    """Store a file the app received (a temporary file on disk, never held in memory): check it,
    store it, then record it. Raises UploadRejected (already audited) when it fails a check."""
    try:
        declared = check_declared(name=uploaded.name, kind=kind, size=None)
        check_content(FileSource(uploaded, uploaded.size), declared)
    except UploadRejected as exc:
        record_rejection(case=case, actor=actor, exc=exc, request=request, size=uploaded.size)
        raise
    key = new_object_key(case, declared)
    stored = storage.save_uploaded(key=key, uploaded=uploaded)
    try:
        with transaction.atomic():
            file = CaseFile.objects.create(
                case=case,
                kind=declared.kind,
                original_name=declared.name,
                object_key=stored,
                size=uploaded.size,
                content_type=declared.content_type,
                sha256=getattr(uploaded, "sha256", "") or "",
                uploaded_by=actor,
                state=FileState.AVAILABLE,
                completed_at=timezone.now(),
            )
            _uploaded_event(file, actor, request, direct=False)
    except Exception:
        storage.delete_object(stored)
        raise
    return file


# ---- straight to the bucket --------------------------------------------------------------------


def plan_upload(*, case: Case, actor: User, name: str, size, kind: str | None, request=None) -> tuple[CaseFile, dict]:
    """Reserve a pending file and return the presigned plan the browser follows: one PUT, or a
    multipart upload with one presigned URL per part (all parts the same size but the last)."""
    try:
        try:
            size = int(size)
        except (TypeError, ValueError):
            raise UploadRejected(
                str(name or "(no name)"), "the size must be a whole number of bytes.", field="size"
            ) from None
        declared = check_declared(name=name, kind=kind, size=size)
    except UploadRejected as exc:
        record_rejection(case=case, actor=actor, exc=exc, request=request, size=size if isinstance(size, int) else None)
        raise
    key = new_object_key(case, declared)
    multipart = size > storage.multipart_threshold()
    with transaction.atomic():
        file = CaseFile.objects.create(
            case=case,
            kind=declared.kind,
            original_name=declared.name,
            object_key=key,
            size=size,
            content_type=declared.content_type,
            uploaded_by=actor,
            state=FileState.PENDING,
        )
        if not multipart:
            put = storage.presigned_put(key=key, content_type=declared.content_type, size=size)
            return file, {"file_id": file.pk, "method": "PUT", "url": put.url, "headers": put.headers}
        part_size = storage.part_size_for(size)
        upload_id = storage.create_multipart(key=key, content_type=declared.content_type)
        file.upload_id, file.part_size = upload_id, part_size
        file.save(update_fields=["upload_id", "part_size"])
    parts = storage.presigned_part_urls(key=key, upload_id=upload_id, size=size, part_size=part_size)
    return file, {
        "file_id": file.pk,
        "upload_id": upload_id,
        "part_size": part_size,
        "parts": [{"part_number": p["part_number"], "size": p["size"], "url": p["url"]} for p in parts],
    }


def _discard(file: CaseFile) -> None:
    """Remove every trace of a refused direct upload: parts, object and row."""
    if file.upload_id:
        storage.abort_multipart(key=file.object_key, upload_id=file.upload_id)
    storage.delete_object(file.object_key)
    file.delete()


def _normalise_etag(etag) -> str:
    return str(etag or "").strip().strip('"')


def _check_parts(file: CaseFile, claimed) -> list[dict]:
    """The parts the bucket holds must be exactly the planned ones, in order, with the planned
    sizes and the ETags the browser saw."""
    expected = storage.part_lengths(file.size, file.part_size)
    stored = storage.list_parts(key=file.object_key, upload_id=file.upload_id)
    if not isinstance(claimed, list) or any(not isinstance(p, dict) for p in claimed):
        raise UploadRejected(file.original_name, "“parts” must be a list of {part_number, etag}.", field="parts")
    try:
        claimed_etags = {int(p.get("part_number")): _normalise_etag(p.get("etag")) for p in claimed}
    except (TypeError, ValueError):
        raise UploadRejected(file.original_name, "every part needs a whole part_number.", field="parts") from None
    if [p["part_number"] for p in stored] != list(range(1, len(expected) + 1)):
        raise UploadRejected(
            file.original_name,
            f"{len(stored)} of {len(expected)} parts arrived; the upload is incomplete.",
            field="parts",
        )
    if [p["size"] for p in stored] != expected:
        raise UploadRejected(file.original_name, "the parts do not have the planned sizes.", field="parts")
    for part in stored:
        if claimed_etags.get(part["part_number"]) != _normalise_etag(part["etag"]):
            raise UploadRejected(
                file.original_name,
                f"part {part['part_number']} does not match what was uploaded (ETag).",
                field="parts",
            )
    return stored


def complete_upload(*, file: CaseFile, actor: User, parts=None, request=None) -> CaseFile:
    """Confirm a direct upload: assemble the parts, HEAD (the size must match what was declared),
    sniff the first KB with a ranged GET, then mark the file available. Anything wrong discards the
    upload entirely and raises UploadRejected."""
    with transaction.atomic():
        file = CaseFile.objects.select_for_update().select_related("case").get(pk=file.pk)
        if file.uploaded_by_id != actor.pk:
            raise PermissionDenied("Only the person who started this upload can complete it.")
        if file.state != FileState.PENDING:
            raise CompleteConflict(f"“{file.original_name}” is already {file.get_state_display().lower()}.")
        try:
            if file.upload_id:
                stored = _check_parts(file, parts)
                storage.complete_multipart(key=file.object_key, upload_id=file.upload_id, parts=stored)
                file.upload_id = ""
            size = storage.object_size(file.object_key)
            if size is None:
                raise UploadRejected(file.original_name, "nothing was uploaded.", field="file")
            if size != file.size:
                raise UploadRejected(
                    file.original_name, f"{size} bytes arrived but {file.size} were declared.", field="size"
                )
            declared = check_declared(name=file.original_name, kind=file.kind, size=file.size)
            check_content(storage.StoredSource(file.object_key, size), declared)
        except UploadRejected as exc:
            _discard(file)
            rejected = exc
        else:
            rejected = None
            file.state, file.completed_at = FileState.AVAILABLE, timezone.now()
            file.save(update_fields=["state", "completed_at", "upload_id"])
            _uploaded_event(file, actor, request, direct=True)
    if rejected is not None:
        record_rejection(case=file.case, actor=actor, exc=rejected, request=request, size=file.size)
        raise rejected
    return file


# ---- downloads and deletion --------------------------------------------------------------------


def record_download(*, file: CaseFile, actor: User, request=None, preview: bool = False) -> None:
    """Every read is audited. Explicit downloads also go on the timeline, as an internal (lab-only)
    event: a dentist's timeline would otherwise fill with the lab opening scans, and the audit log
    already holds every access. Previews (thumbnails, the 3D viewer) are audited only."""
    with transaction.atomic():
        if not preview:
            TimelineEvent.objects.create(
                case_id=file.case_id,
                actor=actor,
                kind=EventKind.FILE_DOWNLOADED,
                body=file.original_name,
                internal=True,
                data={"file_id": file.pk},
            )
        record(
            AuditAction.FILE_DOWNLOADED,
            request=request,
            actor=actor,
            obj=file,
            case_id=file.case_id,
            detail={"preview": preview},
        )


@transaction.atomic
def delete_file(*, file: CaseFile, actor: User, request=None) -> CaseFile:
    """Soft delete: the row and the object stay (for the audit trail and recovery); the file
    disappears from lists and downloads."""
    file = CaseFile.objects.select_for_update().select_related("case").get(pk=file.pk)
    if file.retained:
        raise PermissionDenied(RETAINED_MESSAGE)
    if not can_delete(actor, file):
        raise PermissionDenied(
            "Only the lab can remove files once it has received the case."
            if file.uploaded_by_id == actor.pk
            else "Only the person who uploaded this file, or the lab, can remove it."
        )
    if file.state == FileState.DELETED:
        return file
    file.state, file.deleted_at, file.deleted_by = FileState.DELETED, timezone.now(), actor
    file.save(update_fields=["state", "deleted_at", "deleted_by"])
    TimelineEvent.objects.create(
        case=file.case, actor=actor, kind=EventKind.FILE_DELETED, body=file.original_name, data={"file_id": file.pk}
    )
    record(AuditAction.FILE_DELETED, request=request, actor=actor, obj=file, case_id=file.case_id)
    return file


# ---- housekeeping ------------------------------------------------------------------------------


def cleanup_pending(*, older_than: datetime.timedelta = datetime.timedelta(days=1), dry_run: bool = False) -> dict:
    """Remove abandoned direct uploads: pending rows older than `older_than`, their objects and
    multipart parts, and multipart uploads the bucket holds that no row knows about."""
    cutoff = timezone.now() - older_than
    report = {"rows": 0, "objects": 0, "multipart_aborted": 0, "orphan_multipart_aborted": 0}
    stale = list(CaseFile.objects.filter(state=FileState.PENDING, created_at__lt=cutoff, retained=False))
    for file in stale:
        report["rows"] += 1
        if file.upload_id and storage.is_remote():
            report["multipart_aborted"] += 1
            if not dry_run:
                storage.abort_multipart(key=file.object_key, upload_id=file.upload_id)
        if storage.object_size(file.object_key) is not None:
            report["objects"] += 1
            if not dry_run:
                storage.delete_object(file.object_key)
        if not dry_run:
            file.delete()
    if storage.is_remote():
        known = set(
            CaseFile.objects.filter(state=FileState.PENDING).exclude(upload_id="").values_list("upload_id", flat=True)
        )
        for upload in storage.unfinished_multipart_uploads():
            if upload["upload_id"] in known or upload["initiated"] >= cutoff:
                continue
            report["orphan_multipart_aborted"] += 1
            if not dry_run:
                storage.abort_multipart(key=upload["key"], upload_id=upload["upload_id"])
    return report

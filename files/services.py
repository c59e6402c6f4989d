"""Writes to case files. Each service runs in one transaction and records a timeline event and an
audit event in that same transaction; storage is reached only through files.storage. Rules come from
files.policy; refusals are files.exceptions (each carries its HTTP status).

A rejected upload leaves no row and no object behind, and an audit FILE_REJECTED record. The audit
detail holds the reason, extension and size but never the file name (scanner exports are often
named after the patient).

Network calls to storage never run inside a database transaction or under a row lock: a slow or
unreachable bucket must not hold a database connection's lock (see complete_upload)."""

import datetime
import logging
import uuid

from django.db import transaction
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts.audit import AuditAction, AuditOutcome, record
from accounts.models import User
from cases.models import Case, EventKind, TimelineEvent
from files import policy, storage
from files.exceptions import (
    FileNotWritable,
    StorageUnavailable,
    UploadBeingCompleted,
    UploadNotPending,
    UploadRejected,
)
from files.models import CaseFile, FileState
from files.validation import Declared, FileSource, check_content, check_declared

logger = logging.getLogger("files")

# A complete that has been checking for longer than this died (a killed worker): another complete
# may take the upload over, and the cleanup may remove it. Far above a real check (a few requests
# with a 60 s read timeout each).
STALE_CLAIM = datetime.timedelta(minutes=15)


def new_object_key(case: Case, declared: Declared) -> str:
    from files.validation import key_name

    return f"cases/{case.pk}/{uuid.uuid4().hex}/{key_name(declared.name)}"


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
        body=f"{file.original_name} ({filesizeformat(file.size)})",
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


def plan_app_upload(
    *, case: Case, actor: User, name: str, size: int, kind: str | None, limit: int, too_large: str, request=None
) -> dict:
    """Without a bucket the browser posts the file to the app (which streams it to disk): check
    what was declared now, so a refused file is not sent at all. Over `limit` bytes it is refused
    (413) with the reason `too_large`."""
    try:
        declared = check_declared(name=name, kind=kind, size=size)
        if size > limit:
            raise UploadRejected(declared.name, too_large, field="size", status=413)
    except UploadRejected as exc:
        record_rejection(case=case, actor=actor, exc=exc, request=request, size=size)
        raise
    return {"file_id": None, "method": "POST", "field": "file", "fields": {"kind": declared.kind}}


def plan_upload(*, case: Case, actor: User, name: str, size, kind: str | None, request=None) -> tuple[CaseFile, dict]:
    """Reserve a pending file and return the presigned plan the browser follows: one PUT, or a
    multipart upload with one presigned URL per part (all parts the same size but the last). The
    multipart upload is created before the row's transaction opens (no network call inside it)."""
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
    upload_id, part_size = "", None
    if size > storage.multipart_threshold():
        part_size = storage.part_size_for(size)
        upload_id = storage.create_multipart(key=key, content_type=declared.content_type)
    try:
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
                upload_id=upload_id,
                part_size=part_size,
            )
    except Exception:
        if upload_id:
            storage.abort_multipart(key=key, upload_id=upload_id)
        raise
    if not upload_id:
        put = storage.presigned_put(key=key, content_type=declared.content_type, size=size)
        return file, {"file_id": file.pk, "method": "PUT", "url": put.url, "headers": put.headers}
    parts = storage.presigned_part_urls(key=key, upload_id=upload_id, size=size, part_size=part_size)
    return file, {
        "file_id": file.pk,
        "upload_id": upload_id,
        "part_size": part_size,
        "parts": [{"part_number": p["part_number"], "size": p["size"], "url": p["url"]} for p in parts],
    }


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


def _claim(file: CaseFile, actor: User) -> CaseFile:
    """Take the upload for this complete with one conditional UPDATE (pending → checking, or a
    stale claim taken over), committed at once: no lock is held while storage is asked. Raises 409
    when another complete holds it or it is no longer pending."""
    now = timezone.now()
    claimable = Q(state=FileState.PENDING) | Q(state=FileState.CHECKING, checking_since__lt=now - STALE_CLAIM)
    with transaction.atomic():
        claimed = (
            CaseFile.objects.filter(claimable, pk=file.pk, uploaded_by=actor)
            .update(state=FileState.CHECKING, checking_since=now, check_error="")
        )  # fmt: skip
    current = CaseFile.objects.select_related("case").filter(pk=file.pk).first()
    if claimed:
        return current
    if current is None or current.state == FileState.DELETED:
        raise UploadNotPending(f"“{file.original_name}” was removed.")
    if current.state == FileState.CHECKING:
        raise UploadBeingCompleted(
            f"“{file.original_name}” is already being completed; wait a moment and reload the list."
        )
    raise UploadNotPending(f"“{file.original_name}” is already {current.get_state_display().lower()}.")


def _ours(file: CaseFile):
    """The row as long as this complete's claim holds (nobody took it over since)."""
    return CaseFile.objects.filter(pk=file.pk, state=FileState.CHECKING, checking_since=file.checking_since)


def _release(file: CaseFile, reason: str) -> None:
    """Back to pending with the reason, so the uploader (or the cleanup) can try again. Once the
    parts were assembled the multipart upload is gone (`file.upload_id` was cleared): a retry only
    checks the object."""
    with transaction.atomic():
        _ours(file).update(
            state=FileState.PENDING, checking_since=None, check_error=reason[:255], upload_id=file.upload_id
        )


def _discard(file: CaseFile) -> None:
    """Remove every trace of a refused direct upload: parts and object (outside any transaction),
    then the row. If storage fails on the way, the row goes back to pending for the cleanup."""
    try:
        if file.upload_id:
            storage.abort_multipart(key=file.object_key, upload_id=file.upload_id)
        storage.delete_object(file.object_key)
    except Exception as exc:  # noqa: BLE001 — whatever failed, the row is left (pending) to the cleanup
        logger.warning("could not remove refused upload %s: %s", file.pk, type(exc).__name__)
        _release(file, f"refused, but storage failed removing it ({type(exc).__name__})")
        return
    with transaction.atomic():
        _ours(file).delete()


def _check_stored(file: CaseFile, parts) -> None:
    """The storage half of a complete (network only, no transaction): assemble the parts (then
    `file.upload_id` is cleared: the multipart upload no longer exists), HEAD (the size must match
    what was declared), sniff with ranged GETs. Raises UploadRejected when the object is wrong."""
    if file.upload_id:
        stored = _check_parts(file, parts)
        storage.complete_multipart(key=file.object_key, upload_id=file.upload_id, parts=stored)
        file.upload_id = ""
    size = storage.object_size(file.object_key)
    if size is None:
        raise UploadRejected(file.original_name, "nothing was uploaded.", field="file")
    if size != file.size:
        raise UploadRejected(file.original_name, f"{size} bytes arrived but {file.size} were declared.", field="size")
    declared = check_declared(name=file.original_name, kind=file.kind, size=file.size)
    check_content(storage.StoredSource(file.object_key, size), declared)


def complete_upload(*, file: CaseFile, actor: User, parts=None, request=None) -> CaseFile:
    """Confirm a direct upload in three steps, so no database lock or transaction is held while
    storage is asked (an S3 timeout must never hold a row lock):

    1. claim: pending → checking with a conditional UPDATE (0 rows → 409, another complete has it);
    2. check the object in storage, outside any transaction (`_check_stored`);
    3. one short transaction: checking → available, with the timeline event and the audit record.

    A wrong object discards the upload entirely and raises UploadRejected (audited). Storage failing
    half-way puts the upload back to pending with the reason and raises StorageUnavailable (503):
    completing again works."""
    if not policy.can_complete(actor, file):
        raise FileNotWritable(policy.COMPLETE_REFUSAL)
    file = _claim(file, actor)
    try:
        _check_stored(file, parts)
    except UploadRejected as exc:
        _discard(file)
        record_rejection(case=file.case, actor=actor, exc=exc, request=request, size=file.size)
        raise
    except Exception as exc:
        reason = f"storage failed while checking the upload ({type(exc).__name__}); complete it again"
        _release(file, reason)
        if storage.is_storage_error(exc):
            logger.warning("complete of file %s: storage failed: %s", file.pk, type(exc).__name__)
            raise StorageUnavailable(
                f"File storage failed while “{file.original_name}” was being checked. The upload "
                "is kept: complete it again in a moment."
            ) from exc
        raise
    with transaction.atomic():
        done = {"state": FileState.AVAILABLE, "completed_at": timezone.now(), "upload_id": "", "check_error": ""}
        if not _ours(file).update(**done, checking_since=None):
            raise UploadNotPending(f"“{file.original_name}” was changed while it was being checked; reload the list.")
        for name, value in {**done, "checking_since": None}.items():
            setattr(file, name, value)
        _uploaded_event(file, actor, request, direct=True)
    return file


# ---- downloads and deletion --------------------------------------------------------------------


def record_files_viewed(*, case: Case, actor: User, request=None, via: str) -> None:
    """A list of a case's files names the case and its patient's files: a read of patient data,
    audited as a view of the case like the case page (`via` says which page or endpoint)."""
    record(AuditAction.CASE_VIEWED, request=request, actor=actor, obj=case, case_id=case.pk, detail={"via": via})


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
    if not policy.can_delete(actor, file):
        raise FileNotWritable(policy.delete_refusal(actor, file))
    if file.state == FileState.DELETED:
        return file
    if file.state == FileState.CHECKING:
        raise UploadBeingCompleted(f"“{file.original_name}” is being checked right now; try again in a moment.")
    file.state, file.deleted_at, file.deleted_by = FileState.DELETED, timezone.now(), actor
    file.save(update_fields=["state", "deleted_at", "deleted_by"])
    TimelineEvent.objects.create(
        case=file.case, actor=actor, kind=EventKind.FILE_DELETED, body=file.original_name, data={"file_id": file.pk}
    )
    record(AuditAction.FILE_DELETED, request=request, actor=actor, obj=file, case_id=file.case_id)
    return file


# ---- housekeeping ------------------------------------------------------------------------------


def cleanup_pending(*, older_than: datetime.timedelta = datetime.timedelta(days=1), dry_run: bool = False) -> dict:
    """Remove abandoned direct uploads: pending rows older than `older_than` (and uploads a dead
    complete left checking), their objects and multipart parts, and multipart uploads the bucket
    holds that no row knows about."""
    now = timezone.now()
    cutoff = now - older_than
    report = {"rows": 0, "objects": 0, "multipart_aborted": 0, "orphan_multipart_aborted": 0}
    abandoned = Q(state=FileState.PENDING) | Q(state=FileState.CHECKING, checking_since__lt=now - STALE_CLAIM)
    stale = list(CaseFile.objects.filter(abandoned, created_at__lt=cutoff, retained=False))
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
            CaseFile.objects.filter(state__in=[FileState.PENDING, FileState.CHECKING])
            .exclude(upload_id="")
            .values_list("upload_id", flat=True)
        )
        for upload in storage.unfinished_multipart_uploads():
            if upload["upload_id"] in known or upload["initiated"] >= cutoff:
                continue
            report["orphan_multipart_aborted"] += 1
            if not dry_run:
                storage.abort_multipart(key=upload["key"], upload_id=upload["upload_id"])
    return report

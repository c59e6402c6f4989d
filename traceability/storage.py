"""Where statement PDFs are written: the same bucket (or disk) as every case file, through a storage
built from the same options but with short timeouts.

A statement is written inside the move's transaction (no shipped case without its statement), with
the case row locked. An S3 call that hangs must not hold that lock for minutes (issue 10), so this
storage gives up after `STATEMENT_STORAGE_TIMEOUT` seconds with at most one retry; the move then
fails with 503 and changes nothing. If the transaction rolls back after the object was written
(another receiver refused the move, the process died), the object has no row: it is never served
(keys are unguessable and downloads go through a row) and `manage.py sweep_statement_objects`
removes it.
"""

from __future__ import annotations

import datetime
import os

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages
from django.utils import timezone

from dentallab.storage_config import S3_BACKEND, r2_client_config

PREFIX = "statements/"


def _timeout() -> float:
    return settings.STATEMENT_STORAGE_TIMEOUT


def statement_storage():
    """The default storage, or for S3/R2 a twin of it whose client gives up quickly."""
    config = settings.STORAGES["default"]
    if config.get("BACKEND") != S3_BACKEND:
        return default_storage
    seconds = max(1, int(round(_timeout())))
    options = {
        **config.get("OPTIONS", {}),
        "client_config": r2_client_config(connect_timeout=seconds, read_timeout=seconds, max_attempts=2),
    }
    return storages.create_storage({**config, "OPTIONS": options})


def write(key: str, data: bytes) -> str:
    """Store the bytes under `key` (never overwriting: keys are new for every version)."""
    return statement_storage().save(key, ContentFile(data))


def delete(key: str) -> None:
    statement_storage().delete(key)


def read(key: str) -> bytes:
    with default_storage.open(key, "rb") as fh:
        return fh.read()


def stored_keys() -> list[tuple[str, datetime.datetime | None]]:
    """Every statement object with its last-modified time (None when the backend cannot say)."""
    store = default_storage
    if hasattr(store, "bucket"):
        return [(obj.key, obj.last_modified) for obj in store.bucket.objects.filter(Prefix=PREFIX)]
    root = store.path(PREFIX.rstrip("/"))
    found = []
    for folder, _dirs, names in os.walk(root):
        for name in names:
            path = os.path.join(folder, name)
            key = os.path.relpath(path, store.path("")).replace(os.sep, "/")
            found.append((key, datetime.datetime.fromtimestamp(os.path.getmtime(path), tz=datetime.UTC)))
    return found


def orphans(known: set[str], *, older_than: datetime.timedelta) -> list[str]:
    """Statement objects no case file row knows about, older than `older_than` (a younger one may
    belong to a move still in its transaction)."""
    cutoff = timezone.now() - older_than
    return [key for key, modified in stored_keys() if key not in known and (modified is None or modified < cutoff)]

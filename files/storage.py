"""The one module that touches file storage: local disk or R2 (S3) through Django's default storage.

For R2 it uses the boto3 client of the configured storage (`default_storage.connection.meta.client`),
so presigned URLs carry exactly the options production uses (s3v4, region "auto", checksums only
when required, no ACL). Presigned URLs are credentials until they expire: never log them.
"""

import math
from dataclasses import dataclass

from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse

from files.validation import Source

MiB = 1024 * 1024
S3_MIN_PART = 5 * MiB
S3_MAX_PART = 5 * 1024 * MiB
S3_MAX_PARTS = 10_000


def is_storage_error(exc: BaseException) -> bool:
    """A failure of the store or of the way to it (unreachable, timed out, an error answer), as
    opposed to a bug in the app."""
    from botocore.exceptions import BotoCoreError, ClientError

    return isinstance(exc, (BotoCoreError, ClientError, OSError))


def is_remote() -> bool:
    """True when the default storage is an S3-compatible bucket (R2 in production)."""
    return hasattr(default_storage, "bucket_name") and hasattr(default_storage, "connection")


def _client():
    return default_storage.connection.meta.client


def _bucket() -> str:
    return default_storage.bucket_name


# ---- settings ----------------------------------------------------------------------------------


def put_expiry() -> int:
    return settings.FILE_UPLOAD_URL_EXPIRY


def part_expiry() -> int:
    return settings.FILE_UPLOAD_PART_URL_EXPIRY


def download_expiry() -> int:
    return settings.FILE_DOWNLOAD_URL_EXPIRY


def multipart_threshold() -> int:
    return settings.FILE_MULTIPART_THRESHOLD


def part_size_for(size: int) -> int:
    """Every part but the last has this size: at least the setting (default 16 MiB) and 5 MiB,
    large enough for at most 10,000 parts, a whole number of MiB."""
    wanted = max(settings.FILE_MULTIPART_PART_SIZE, S3_MIN_PART)
    needed = math.ceil(size / S3_MAX_PARTS)
    part = max(wanted, math.ceil(needed / MiB) * MiB)
    if part > S3_MAX_PART:
        raise ValueError("file too large for a multipart upload")
    return part


def part_lengths(size: int, part_size: int) -> list[int]:
    count = math.ceil(size / part_size)
    return [part_size] * (count - 1) + [size - part_size * (count - 1)]


# ---- direct uploads (R2 only) ------------------------------------------------------------------


@dataclass
class PutPlan:
    url: str
    headers: dict


def presigned_put(*, key: str, content_type: str, size: int) -> PutPlan:
    """One PUT of exactly `size` bytes of `content_type`: both are signed into the URL, so R2
    refuses anything else."""
    url = _client().generate_presigned_url(
        "put_object",
        Params={"Bucket": _bucket(), "Key": key, "ContentType": content_type, "ContentLength": size},
        ExpiresIn=put_expiry(),
        HttpMethod="PUT",
    )
    return PutPlan(url=url, headers={"Content-Type": content_type})


def create_multipart(*, key: str, content_type: str) -> str:
    return _client().create_multipart_upload(Bucket=_bucket(), Key=key, ContentType=content_type)["UploadId"]


def presigned_part_urls(*, key: str, upload_id: str, size: int, part_size: int) -> list[dict]:
    """One URL per part, each with its exact Content-Length signed in."""
    client, bucket, expires = _client(), _bucket(), part_expiry()
    return [
        {
            "part_number": number,
            "size": length,
            "url": client.generate_presigned_url(
                "upload_part",
                Params={
                    "Bucket": bucket,
                    "Key": key,
                    "UploadId": upload_id,
                    "PartNumber": number,
                    "ContentLength": length,
                },
                ExpiresIn=expires,
                HttpMethod="PUT",
            ),
        }
        for number, length in enumerate(part_lengths(size, part_size), start=1)
    ]


def list_parts(*, key: str, upload_id: str) -> list[dict]:
    client, parts, marker = _client(), [], 0
    while True:
        page = client.list_parts(Bucket=_bucket(), Key=key, UploadId=upload_id, PartNumberMarker=marker)
        parts += [{"part_number": p["PartNumber"], "etag": p["ETag"], "size": p["Size"]} for p in page.get("Parts", [])]
        if not page.get("IsTruncated"):
            return parts
        marker = page["NextPartNumberMarker"]


def complete_multipart(*, key: str, upload_id: str, parts: list[dict]) -> None:
    _client().complete_multipart_upload(
        Bucket=_bucket(),
        Key=key,
        UploadId=upload_id,
        MultipartUpload={"Parts": [{"PartNumber": p["part_number"], "ETag": p["etag"]} for p in parts]},
    )


def abort_multipart(*, key: str, upload_id: str) -> None:
    from botocore.exceptions import ClientError

    try:
        _client().abort_multipart_upload(Bucket=_bucket(), Key=key, UploadId=upload_id)
    except ClientError as exc:
        if exc.response.get("Error", {}).get("Code") not in ("NoSuchUpload", "404"):
            raise


def unfinished_multipart_uploads(prefix: str = "cases/") -> list[dict]:
    """Multipart uploads the bucket still holds parts for: {"key", "upload_id", "initiated"}."""
    client, found, params = _client(), [], {"Bucket": _bucket(), "Prefix": prefix}
    while True:
        page = client.list_multipart_uploads(**params)
        found += [
            {"key": u["Key"], "upload_id": u["UploadId"], "initiated": u["Initiated"]} for u in page.get("Uploads", [])
        ]
        if not page.get("IsTruncated"):
            return found
        params.update(KeyMarker=page["NextKeyMarker"], UploadIdMarker=page["NextUploadIdMarker"])


# ---- objects (both backends) -------------------------------------------------------------------


def object_size(key: str) -> int | None:
    """HEAD: the stored size, or None when there is no such object."""
    if is_remote():
        from botocore.exceptions import ClientError

        try:
            return _client().head_object(Bucket=_bucket(), Key=key)["ContentLength"]
        except ClientError as exc:
            if exc.response.get("Error", {}).get("Code") in ("404", "NoSuchKey", "NotFound"):
                return None
            raise
    return default_storage.size(key) if default_storage.exists(key) else None


class StoredSource(Source):
    """Byte ranges of a stored object: ranged GETs on R2 (a few KB, never the whole object)."""

    def __init__(self, key: str, size: int):
        self.key, self.size, self._cache = key, size, {}

    def read(self, start: int, length: int) -> bytes:
        if length <= 0:
            return b""
        for cached_start, data in self._cache.items():
            if cached_start <= start and start + length <= cached_start + len(data):
                return data[start - cached_start : start - cached_start + length]
        if is_remote():
            body = _client().get_object(Bucket=_bucket(), Key=self.key, Range=f"bytes={start}-{start + length - 1}")
            data = body["Body"].read()
        else:
            with default_storage.open(self.key, "rb") as fh:
                fh.seek(start)
                data = fh.read(length)
        if len(self._cache) < 8 and length <= 1024 * 1024:
            self._cache[start] = data
        return data


def save_uploaded(*, key: str, uploaded) -> str:
    """Store an upload the app received (already on disk as a temporary file). Local disk moves
    the file; S3 streams it in parts. Returns the name actually used."""
    uploaded.seek(0)
    return default_storage.save(key, uploaded)


def delete_object(key: str) -> None:
    default_storage.delete(key)


def presigned_get(*, key: str, filename: str, content_type: str, inline: bool = False) -> str:
    from django.utils.http import content_disposition_header

    return _client().generate_presigned_url(
        "get_object",
        Params={
            "Bucket": _bucket(),
            "Key": key,
            "ResponseContentDisposition": content_disposition_header(not inline, filename),
            "ResponseContentType": content_type,
        },
        ExpiresIn=download_expiry(),
    )


def local_response(*, key: str, filename: str, content_type: str, inline: bool = False) -> FileResponse:
    response = FileResponse(
        default_storage.open(key, "rb"), as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    # Even if a browser rendered a file, it could not run scripts in the app's origin.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response


def put_bucket_cors(rules: list[dict]) -> None:
    _client().put_bucket_cors(Bucket=_bucket(), CORSConfiguration={"CORSRules": rules})


def get_bucket_cors() -> list[dict]:
    from botocore.exceptions import ClientError

    try:
        return _client().get_bucket_cors(Bucket=_bucket()).get("CORSRules", [])
    except ClientError:
        return []

"""How the default file storage is configured: R2 (any S3-compatible store) or local disk.

Kept apart from settings.py so that tests can point the storage at their own S3 server with
exactly the options production uses.
"""

from botocore.config import Config

S3_BACKEND = "storages.backends.s3.S3Storage"
LOCAL_BACKEND = "django.core.files.storage.FileSystemStorage"


def r2_client_config(*, connect_timeout: int = 5, read_timeout: int = 60, max_attempts: int = 3) -> Config:
    """botocore options R2 needs.

    boto3 >= 1.36 adds CRC checksums to every request by default and R2 rejects them (sometimes
    as a misleading `Unauthorized`), so checksums are only sent when an API requires them.
    django-storages ignores its own signature_version/addressing_style options once
    client_config is given, so they live here.
    """
    return Config(
        signature_version="s3v4",
        region_name="auto",
        s3={"addressing_style": "path"},
        request_checksum_calculation="when_required",
        response_checksum_validation="when_required",
        connect_timeout=connect_timeout,
        read_timeout=read_timeout,
        retries={"max_attempts": max_attempts, "mode": "standard"},
    )


def r2_storage(*, bucket: str, endpoint: str, access_key: str, secret_key: str) -> dict:
    """The STORAGES["default"] entry for a private R2 bucket."""
    return {
        "BACKEND": S3_BACKEND,
        "OPTIONS": {
            "bucket_name": bucket,
            "endpoint_url": endpoint,
            "access_key": access_key,
            "secret_key": secret_key,
            "region_name": "auto",
            "client_config": r2_client_config(),
            # R2 rejects x-amz-acl; objects are private and reached through presigned URLs.
            "default_acl": None,
            "querystring_auth": True,
            "querystring_expire": 300,
            "file_overwrite": False,
            # Never a custom domain here: it drops the signature from presigned URLs.
            "custom_domain": None,
        },
    }


def local_storage(*, location: str, base_url: str) -> dict:
    return {"BACKEND": LOCAL_BACKEND, "OPTIONS": {"location": location, "base_url": base_url}}

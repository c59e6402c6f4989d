"""Response headers that Django does not set itself: Content-Security-Policy (through django-csp)
and Permissions-Policy.
"""

import functools
from urllib.parse import urlsplit

from csp.constants import NONE, SELF
from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from dentallab.storage_config import S3_BACKEND

# Features no page of the lab needs; the 3D viewer may go full screen. Only features browsers
# know: Chromium logs "Unrecognized feature" on every page for others (it did for `bluetooth`);
# tests/browser/test_every_page.py fails on that console message.
PERMISSIONS_POLICY = (
    "accelerometer=(), camera=(), geolocation=(), gyroscope=(), magnetometer=(), "
    "microphone=(), midi=(), payment=(), serial=(), usb=(), fullscreen=(self)"
)


def origin_of(url: str, *, setting: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise ImproperlyConfigured(f"{setting} must be an absolute http(s) URL; got {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


def storage_origins(*, endpoint: str, bucket: str) -> list[str]:
    """Origins the browser talks to for direct uploads and downloads.

    Presigned URLs use path-style addressing on the account endpoint
    (https://<account>.r2.cloudflarestorage.com/<bucket>/<key>); the virtual-host form
    (https://<bucket>.<account>.r2.cloudflarestorage.com) is allowed too so that a client that
    signs that way still works.
    """
    if not endpoint:
        return []
    origin = origin_of(endpoint, setting="R2_ENDPOINT")
    origins = [origin]
    parts = urlsplit(endpoint)
    if bucket and "." in parts.hostname and not parts.hostname.replace(".", "").isdigit():
        origins.append(f"{parts.scheme}://{bucket}.{parts.netloc}")
    return origins


@functools.lru_cache(maxsize=8)
def _cached_storage_origins(endpoint: str, bucket: str) -> tuple[str, ...]:
    return tuple(storage_origins(endpoint=endpoint, bucket=bucket))


def configured_storage_origins() -> tuple[str, ...]:
    """The origins of the object store STORAGES["default"] points at now (none for local disk)."""
    storage = settings.STORAGES["default"]
    if storage.get("BACKEND") != S3_BACKEND:
        return ()
    options = storage.get("OPTIONS", {})
    return _cached_storage_origins(options.get("endpoint_url") or "", options.get("bucket_name") or "")


def content_security_policy(*, storage: list[str], public: list[str], report_uri: str = "") -> dict:
    """The CONTENT_SECURITY_POLICY setting (django-csp 4.x format).

    No inline script or style anywhere: pages load JavaScript as files (ES modules included) and
    pass data through data- attributes or json_script. Images may come from R2 (photo previews
    redirect to presigned URLs) and from blob:/data: URLs the 3D viewer and previews create.
    """
    directives = {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF],
        "img-src": [SELF, "data:", "blob:", *storage, *public],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF, *storage],
        "media-src": [SELF, "blob:", *storage],
        "worker-src": [SELF, "blob:"],
        "manifest-src": [SELF],
        "frame-src": [NONE],
        "frame-ancestors": [NONE],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
    }
    if report_uri:
        directives["report-uri"] = report_uri
    return {"DIRECTIVES": directives}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's middleware, plus the configured object store's origins in connect-src, img-src
    and media-src: the browser PUTs uploads to it and follows presigned download redirects to it.
    Read from STORAGES on each response, so the policy always matches the storage in use."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        origins = configured_storage_origins()
        if origins and not report_only:
            update = dict(parts.update or {})
            for directive in ("connect-src", "img-src", "media-src"):
                update[directive] = [*update.get(directive, []), *origins]
            parts.update = update
        return parts


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = settings.PERMISSIONS_POLICY
        if policy:
            response.headers.setdefault("Permissions-Policy", policy)
        return response

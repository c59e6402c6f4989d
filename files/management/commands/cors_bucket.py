"""Print (and with --apply, set) the bucket CORS rules that browser uploads need.

The browser PUTs files and parts straight to the bucket and reads each part's ETag, and the 3D
viewer GETs models through presigned URLs: so PUT/GET/HEAD from the site's origin, with ETag exposed.
"""

import json
from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from files import storage


def cors_rules(origins: list[str]) -> list[dict]:
    return [
        {
            "AllowedOrigins": origins,
            "AllowedMethods": ["PUT", "GET", "HEAD"],
            "AllowedHeaders": ["content-type"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3600,
        }
    ]


def site_origin(url: str) -> str:
    parts = urlsplit(url)
    if not parts.scheme or not parts.netloc:
        raise CommandError(f"Not an absolute URL: {url!r}")
    return f"{parts.scheme}://{parts.netloc}"


class Command(BaseCommand):
    help = "Print the bucket CORS rules for browser uploads; --apply sets them on the bucket."

    def add_arguments(self, parser):
        parser.add_argument("--apply", action="store_true", help="Set the rules on the configured bucket.")
        parser.add_argument(
            "--origin", action="append", default=[], help="Another allowed origin (repeatable); SITE_URL is always one."
        )

    def handle(self, *args, apply=False, origin=(), **options):
        origins = [site_origin(settings.SITE_URL), *(site_origin(o) for o in origin)]
        rules = cors_rules(list(dict.fromkeys(origins)))
        self.stdout.write(json.dumps({"CORSRules": rules}, indent=2))
        if not apply:
            return
        if not storage.is_remote():
            raise CommandError("No bucket is configured (R2_BUCKET_NAME is empty): nothing to apply.")
        storage.put_bucket_cors(rules)
        self.stdout.write(self.style.SUCCESS(f"CORS rules set on bucket {settings.R2_BUCKET_NAME}."))

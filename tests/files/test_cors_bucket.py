"""manage.py cors_bucket prints the rules browser uploads need and, with --apply, sets them."""

import io
import json

import pytest
from django.core.management import CommandError, call_command


def run(*args):
    out = io.StringIO()
    call_command("cors_bucket", *args, stdout=out)
    return out.getvalue()


def test_it_prints_put_get_head_from_the_site_with_etag_exposed(settings):
    settings.SITE_URL = "https://lab.example.com"
    rules = json.loads(run("--origin", "http://localhost:8000/"))["CORSRules"]
    assert rules == [
        {
            "AllowedOrigins": ["https://lab.example.com", "http://localhost:8000"],
            "AllowedMethods": ["PUT", "GET", "HEAD"],
            "AllowedHeaders": ["content-type"],
            "ExposeHeaders": ["ETag"],
            "MaxAgeSeconds": 3600,
        }
    ]


def test_apply_sets_them_on_the_bucket_and_the_server_answers_preflights(s3_bucket, settings):
    settings.SITE_URL = "https://lab.example.com"
    assert "CORS rules set on bucket" in run("--apply")
    cors = s3_bucket["client"].get_bucket_cors(Bucket=s3_bucket["name"])["CORSRules"]
    assert cors[0]["ExposeHeaders"] == ["ETag"] and cors[0]["AllowedOrigins"] == ["https://lab.example.com"]


def test_apply_without_a_bucket_says_so():
    with pytest.raises(CommandError, match="No bucket is configured"):
        run("--apply")


def test_after_apply_the_bucket_exposes_etag_to_the_site_on_a_presigned_put(s3_bucket, settings):
    """What moto implements of bucket CORS: the exposed headers. (moto's server also allows any
    origin by itself, so a wrong origin cannot be caught here; R2 enforces AllowedOrigins.)"""
    from files import storage
    from tests.files.http import put

    settings.SITE_URL = "https://lab.example.com"
    run("--apply")
    plan = storage.presigned_put(key="cases/1/x/crown.stl", content_type="model/stl", size=5)
    status, headers, _ = put(plan.url, b"solid", headers={**plan.headers, "Origin": "https://lab.example.com"})
    assert status == 200
    assert headers["access-control-allow-origin"] == "https://lab.example.com"
    assert headers["access-control-expose-headers"] == "ETag"

"""The storage settings R2 needs, exercised through django-storages against a real S3 server."""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage, storages

from tests.fixtures.appserver import http_get

pytestmark = pytest.mark.s3


@pytest.fixture
def sent_headers(s3_bucket):
    """Every request's headers as botocore sends them over the wire."""
    sent = []
    storage = storages["default"]
    storage.connection.meta.client.meta.events.register(
        "before-send.s3", lambda request, **kwargs: sent.append({k.lower(): v for k, v in request.headers.items()})
    )
    return sent


def test_a_file_round_trips_through_the_bucket(s3_bucket):
    name = default_storage.save("cases/1/abc/crown.stl", ContentFile(b"solid crown\nendsolid crown\n"))
    assert default_storage.exists(name)
    assert default_storage.size(name) == 27
    with default_storage.open(name) as fh:
        assert fh.read() == b"solid crown\nendsolid crown\n"
    listed = s3_bucket["client"].list_objects_v2(Bucket=s3_bucket["name"])["Contents"]
    assert [obj["Key"] for obj in listed] == [name]
    default_storage.delete(name)
    assert not default_storage.exists(name)


def test_existing_names_are_never_overwritten(s3_bucket):
    first = default_storage.save("cases/1/x/scan.stl", ContentFile(b"one"))
    second = default_storage.save("cases/1/x/scan.stl", ContentFile(b"two"))
    assert first != second


def test_no_acl_or_checksum_header_is_ever_sent(sent_headers):
    name = default_storage.save("cases/1/abc/photo.jpg", ContentFile(b"\xff\xd8\xff" + b"0" * 100))
    default_storage.open(name).read()
    default_storage.delete(name)
    assert sent_headers, "no request was captured"
    for headers in sent_headers:
        assert "x-amz-acl" not in headers
        assert not [h for h in headers if h.startswith(("x-amz-checksum", "x-amz-sdk-checksum"))], headers


def test_urls_are_short_lived_signed_v4_urls_that_work(s3_bucket):
    name = default_storage.save("cases/1/abc/doc.pdf", ContentFile(b"%PDF-1.7 test"))
    url = default_storage.url(name)
    query = parse_qs(urlsplit(url).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["300"]
    assert "/auto/s3/aws4_request" in query["X-Amz-Credential"][0]
    assert url.startswith(s3_bucket["endpoint"] + "/" + s3_bucket["name"] + "/")
    status, _, body = http_get(url)
    assert (status, body) == (200, b"%PDF-1.7 test")

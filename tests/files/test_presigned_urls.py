"""The presigned URLs themselves. moto does not check signatures, expiry or signed headers, and
accepts ACL and checksum parameters that R2 refuses, so these properties are asserted here."""

from urllib.parse import parse_qs, urlsplit

import pytest

from files import storage
from files.storage import MiB


def query(url):
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def assert_no_acl_or_checksum(url):
    lowered = url.lower()
    assert "acl" not in lowered
    assert "checksum" not in lowered
    assert "x-amz-sdk" not in lowered


def test_a_put_url_signs_content_type_and_length_and_expires_in_minutes(s3_bucket):
    plan = storage.presigned_put(key="cases/1/abc/crown.stl", content_type="model/stl", size=1234)
    q = query(plan.url)
    assert q["X-Amz-Algorithm"] == "AWS4-HMAC-SHA256"
    assert set(q["X-Amz-SignedHeaders"].split(";")) == {"content-length", "content-type", "host"}
    assert int(q["X-Amz-Expires"]) == 15 * 60
    assert "/auto/s3/aws4_request" in q["X-Amz-Credential"]
    assert plan.headers == {"Content-Type": "model/stl"}
    assert_no_acl_or_checksum(plan.url)


def test_part_urls_sign_each_parts_exact_length(s3_bucket):
    upload_id = storage.create_multipart(key="cases/1/abc/arch.stl", content_type="model/stl")
    size = 40 * MiB + 123
    parts = storage.presigned_part_urls(key="cases/1/abc/arch.stl", upload_id=upload_id, size=size, part_size=16 * MiB)
    assert [p["size"] for p in parts] == [16 * MiB, 16 * MiB, 8 * MiB + 123]
    for number, part in enumerate(parts, start=1):
        q = query(part["url"])
        assert q["partNumber"] == str(number) and q["uploadId"] == upload_id
        assert set(q["X-Amz-SignedHeaders"].split(";")) == {"content-length", "host"}
        assert int(q["X-Amz-Expires"]) == 60 * 60
        assert_no_acl_or_checksum(part["url"])
    storage.abort_multipart(key="cases/1/abc/arch.stl", upload_id=upload_id)


def test_download_urls_live_five_minutes_and_force_an_attachment(s3_bucket):
    url = storage.presigned_get(key="cases/1/abc/crown.stl", filename="Crown 21.stl", content_type="model/stl")
    q = query(url)
    assert q["X-Amz-Expires"] == "300"
    assert q["response-content-disposition"].startswith("attachment;")
    assert "Crown 21.stl" in q["response-content-disposition"]
    assert q["response-content-type"] == "model/stl"
    assert_no_acl_or_checksum(url)


def test_expiry_and_part_size_are_settings(s3_bucket, settings):
    settings.FILE_UPLOAD_URL_EXPIRY = 120
    settings.FILE_DOWNLOAD_URL_EXPIRY = 60
    assert query(storage.presigned_put(key="k/x.stl", content_type="model/stl", size=5).url)["X-Amz-Expires"] == "120"
    assert (
        query(storage.presigned_get(key="k/x.stl", filename="x.stl", content_type="model/stl"))["X-Amz-Expires"] == "60"
    )


@pytest.mark.parametrize(
    ("size", "part_size"),
    [(60 * 1000**2, 16 * MiB), (500 * 1000**2, 16 * MiB), (5 * 1024**4 // 10, 53 * MiB)],
)
def test_parts_are_the_same_size_but_the_last_within_r2_limits(size, part_size):
    chosen = storage.part_size_for(size)
    assert chosen == part_size
    lengths = storage.part_lengths(size, chosen)
    assert len(lengths) <= 10_000 and sum(lengths) == size
    assert set(lengths[:-1]) <= {chosen} and 0 < lengths[-1] <= chosen
    assert chosen >= 5 * MiB

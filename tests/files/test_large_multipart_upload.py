"""A >100 MB binary STL goes up through the multipart path, streamed from a generator: neither the
browser side nor the app ever holds the file.

The browser side runs in its own process (tests/files/put_parts.py) so its peak RSS is its own:
moto's server shares this test process and buffers parts (and concatenates them at complete), which
would drown any in-process measurement. The app's side is measured by what it reads back from the
bucket at `complete` (a few KB of ranged GETs); bench/uploads.py measures the app's RSS under gunicorn.
"""

import json
import subprocess
import sys
from pathlib import Path

from django.core.files.storage import storages

from files.models import CaseFile
from tests.files import samples

TRIANGLES = 2_100_000  # 105,000,084 bytes
MB = 1_000_000
PROJECT = Path(__file__).resolve().parents[2]


def test_a_105_mb_stl_streams_up_in_parts_and_neither_side_holds_it(s3_bucket, case, dentist, client_for):
    size = samples.binary_stl_size(TRIANGLES)
    assert size > 100 * MB
    client = client_for(dentist)
    response = client.post(
        f"/api/cases/{case.pk}/uploads/",
        json.dumps({"name": "full-arch.stl", "size": size, "kind": "scan"}),
        content_type="application/json",
    )
    assert response.status_code == 201
    plan = response.json()
    assert len(plan["parts"]) == 7 and plan["part_size"] == 16 * 1024 * 1024

    browser = subprocess.run(
        [sys.executable, "-m", "tests.files.put_parts", str(TRIANGLES)],
        input=json.dumps(plan), capture_output=True, text=True, cwd=PROJECT, timeout=120, check=False,
    )  # fmt: skip
    assert browser.returncode == 0, browser.stderr[-2000:]
    result = json.loads(browser.stdout)
    growth = result["peak_rss"] - result["baseline_rss"]
    assert growth < 20 * MB, f"the uploader grew by {growth / MB:.0f} MB for a {size / MB:.0f} MB file"

    read = []
    storages["default"].connection.meta.client.meta.events.register(
        "after-call.s3.GetObject", lambda http_response, **kw: read.append(int(http_response.headers["content-length"]))
    )
    response = client.post(
        f"/api/files/{plan['file_id']}/complete/",
        json.dumps({"parts": result["etags"]}),
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    file = CaseFile.objects.get(pk=plan["file_id"])
    assert (file.state, file.size) == ("available", size)
    assert 0 < sum(read) <= 128 * 1024, f"complete read {sum(read)} bytes of the object"
    head = s3_bucket["client"].head_object(Bucket=s3_bucket["name"], Key=file.object_key)
    assert head["ContentLength"] == size

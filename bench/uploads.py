"""Upload throughput and the app's peak memory, for a synthetic binary STL (default 200 MB).

1. Direct to the bucket: the app (gunicorn, one worker) plans a multipart upload against moto's S3
   server; this script PUTs the parts (4 at a time, streamed, never held in memory) like the browser
   does, then calls `complete`. The bytes never pass through the app.
2. Through the app, local disk: one multipart/form-data POST of the same file, streamed.

For each: MB/s (wall clock from plan to `complete`, or of the POST) and the app worker's peak RSS
(sampled every 20 ms from /proc) against its RSS before the upload.

Usage: DATABASE_URL=postgres://... .venv/bin/python bench/uploads.py [--mb 200]
"""

import argparse
import http.client
import http.cookiejar
import json
import os
import struct
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fixtures.appserver import production_env, run_gunicorn  # noqa: E402

TRIANGLE = struct.pack("<12fH", 0, 0, 1, 0, 0, 0, 10, 0, 0, 0, 10, 0, 0)
PASSWORD = "bench-password-0123"
MB = 1_000_000


def stl_range(triangles: int, start: int, length: int, chunk: int = 1 << 20):
    """Bytes [start, start+length) of a binary STL of `triangles` identical triangles, in chunks."""
    header = b"bench".ljust(80, b" ") + struct.pack("<I", triangles)
    block = TRIANGLE * (chunk // 50)
    position, end = start, start + length
    while position < end:
        if position < 84:
            piece = header[position : min(84, end)]
        else:
            offset = (position - 84) % 50
            piece = block[offset : offset + min(len(block) - offset, end - position)]
        position += len(piece)
        yield piece


def rss_of(pid: int) -> int:
    with open(f"/proc/{pid}/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    return 0


def gunicorn_worker(port: int) -> int:
    """The pid of the gunicorn worker listening on the port (the master's only child)."""
    for pid in os.listdir("/proc"):
        if not pid.isdigit():
            continue
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "gunicorn" in cmdline and f"127.0.0.1:{port}" in cmdline:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
            if children:
                return int(children[0])
    raise RuntimeError("gunicorn worker not found")


class Sampler:
    def __init__(self, pid):
        self.pid, self.peak, self._stop = pid, 0, threading.Event()

    def __enter__(self):
        self.baseline = self.peak = rss_of(self.pid)
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()
        return self

    def _run(self):
        while not self._stop.is_set():
            self.peak = max(self.peak, rss_of(self.pid))
            time.sleep(0.02)

    def __exit__(self, *exc):
        self._stop.set()
        self._thread.join()


class Session:
    """A signed-in browser session against the app (cookies + CSRF token)."""

    def __init__(self, base: str, email: str):
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.opener.open(f"{base}/login/").read()
        form = urllib.parse.urlencode({"username": email, "password": PASSWORD, "csrfmiddlewaretoken": self.csrf})
        self.opener.open(urllib.request.Request(f"{base}/login/", data=form.encode(), headers={"Referer": base})).read()

    @property
    def csrf(self) -> str:
        return next(c.value for c in self.jar if c.name == "csrftoken")

    def cookie_header(self) -> str:
        return "; ".join(f"{c.name}={c.value}" for c in self.jar)

    def post_json(self, path: str, data: dict) -> dict:
        request = urllib.request.Request(
            f"{self.base}{path}",
            data=json.dumps(data).encode(),
            headers={"Content-Type": "application/json", "X-CSRFToken": self.csrf, "Referer": self.base},
        )
        with self.opener.open(request) as response:
            return json.loads(response.read())


def put_part(url: str, body, length: int) -> str:
    parts = urllib.parse.urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=300)
    connection.request("PUT", f"{parts.path}?{parts.query}", body=body, headers={"Content-Length": str(length)})
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise RuntimeError(f"part upload failed: HTTP {response.status}")
    return response.getheader("ETag")


def setup_data(database_url: str) -> int:
    """A dentist and a case in the bench database; returns the case id."""
    os.environ["DATABASE_URL"] = database_url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentallab.settings")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    from accounts.models import Practice, Role, User
    from cases.models import Case

    practice, _ = Practice.objects.get_or_create(name="Bench Dental")
    user = User.objects.filter(email="bench@dentist.test").first() or User.objects.create_user(
        "bench@dentist.test", PASSWORD, name="Dr. Bench", role=Role.DENTIST, practice=practice
    )
    case, _ = Case.objects.get_or_create(
        number="BENCH-1", defaults={"practice": practice, "dentist": user, "patient_name": "Bench"}
    )
    return case.pk


def bench_direct(base: str, case_id: int, triangles: int, size: int, parallel: int = 4):
    session = Session(base, "bench@dentist.test")
    worker = gunicorn_worker(urllib.parse.urlsplit(base).port)
    with Sampler(worker) as memory:
        started = time.perf_counter()
        plan = session.post_json(
            f"/api/cases/{case_id}/uploads/", {"name": "bench-arch.stl", "size": size, "kind": "scan"}
        )

        def upload(part):
            start = (part["part_number"] - 1) * plan["part_size"]
            etag = put_part(part["url"], stl_range(triangles, start, part["size"]), part["size"])
            return {"part_number": part["part_number"], "etag": etag}

        with ThreadPoolExecutor(parallel) as pool:
            etags = list(pool.map(upload, plan["parts"]))
        done = session.post_json(f"/api/files/{plan['file_id']}/complete/", {"parts": etags})
        elapsed = time.perf_counter() - started
    assert done["state"] == "available", done
    return elapsed, memory, len(plan["parts"]), plan["part_size"]


def bench_app_path(base: str, case_id: int, triangles: int, size: int):
    session = Session(base, "bench@dentist.test")
    worker = gunicorn_worker(urllib.parse.urlsplit(base).port)
    boundary = "----bench0123456789"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="kind"\r\n\r\nscan\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="bench-arch.stl"\r\n'
        "Content-Type: application/octet-stream\r\n\r\n"
    ).encode()
    tail = f"\r\n--{boundary}--\r\n".encode()

    def body():
        yield head
        yield from stl_range(triangles, 0, size)
        yield tail

    parts = urllib.parse.urlsplit(base)
    with Sampler(worker) as memory:
        started = time.perf_counter()
        connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=600)
        connection.request(
            "POST",
            f"/api/cases/{case_id}/files/",
            body=body(),
            headers={
                "Content-Type": f"multipart/form-data; boundary={boundary}",
                "Content-Length": str(len(head) + size + len(tail)),
                "X-CSRFToken": session.csrf,
                "Cookie": session.cookie_header(),
                "Referer": base,
            },
        )
        response = connection.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
    if response.status != 201:
        raise RuntimeError(f"app upload failed: HTTP {response.status} {payload[:300]!r}")
    return elapsed, memory


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mb", type=int, default=200)
    args = parser.parse_args()
    database_url = os.environ.get("DATABASE_URL")
    if not database_url:
        sys.exit("Set DATABASE_URL (PostgreSQL) for the bench.")
    triangles = (args.mb * MB - 84) // 50
    size = 84 + 50 * triangles
    case_id = setup_data(database_url)

    from moto.server import ThreadedMotoServer

    from tests.fixtures.s3 import S3_ACCESS_KEY, S3_SECRET_KEY, s3_client

    moto = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    moto.start()
    host, port = moto.get_host_and_port()
    endpoint = f"http://{host}:{port}"
    s3_client(endpoint, region="us-east-1").create_bucket(Bucket="bench-bucket")
    common = {
        "SITE_URL": "http://127.0.0.1",
        "DATABASE_URL": database_url,
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SESSION_COOKIE_SECURE": "0",
        "DJANGO_CSRF_COOKIE_SECURE": "0",
        "DJANGO_STATIC_MANIFEST": "0",
        "LOG_LEVEL": "WARNING",
    }
    r2 = {
        "R2_BUCKET_NAME": "bench-bucket",
        "R2_ENDPOINT": endpoint,
        "R2_ACCESS_KEY_ID": S3_ACCESS_KEY,
        "R2_SECRET_ACCESS_KEY": S3_SECRET_KEY,
    }
    try:
        with run_gunicorn(production_env(**common, **r2), extra_args=["--timeout", "600"]) as base:
            # Warm-up (a 60 MB upload): the first use loads boto3's S3 model, a one-off cost.
            warm = (60 * MB - 84) // 50
            bench_direct(base, case_id, warm, 84 + 50 * warm)
            elapsed, memory, parts, part_size = bench_direct(base, case_id, triangles, size)
        print(
            f"direct multipart to S3 (moto): {size / MB:.0f} MB in {parts} parts of {part_size / 2**20:.0f} MiB, "
            f"{elapsed:.1f} s = {size / MB / elapsed:.0f} MB/s; app worker RSS {memory.baseline / MB:.0f} MB "
            f"before, peak {memory.peak / MB:.0f} MB (+{(memory.peak - memory.baseline) / MB:.1f} MB)"
        )
    finally:
        moto.stop()
    with tempfile.TemporaryDirectory() as media:
        env = production_env(**common, MEDIA_ROOT=media)
        with run_gunicorn(env, extra_args=["--timeout", "600"]) as base:
            bench_app_path(base, case_id, 1000, 84 + 50 * 1000)  # warm-up
            elapsed, memory = bench_app_path(base, case_id, triangles, size)
        print(
            f"through the app to local disk: {size / MB:.0f} MB in {elapsed:.1f} s = {size / MB / elapsed:.0f} MB/s; "
            f"app worker RSS {memory.baseline / MB:.0f} MB before, peak {memory.peak / MB:.0f} MB "
            f"(+{(memory.peak - memory.baseline) / MB:.1f} MB)"
        )


if __name__ == "__main__":
    main()

"""A gunicorn worker killed outright (SIGKILL: the OOM killer, a segfault) costs no requests
after it: the other worker keeps serving and the master starts a replacement."""

import os
import re
import signal
import subprocess
import time

import requests

from tests.fixtures.appserver import production_env, run_gunicorn


def listening_pids(base: str) -> set[int]:
    port = base.rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True).stdout
    return {int(pid) for pid in re.findall(r"pid=(\d+)", out)}


def parent_of(pid: int) -> int:
    with open(f"/proc/{pid}/stat") as stat:
        return int(stat.read().rsplit(")", 1)[1].split()[1])


def workers(base: str) -> set[int]:
    pids = listening_pids(base)
    master = next(pid for pid in pids if parent_of(pid) == os.getpid())
    return {pid for pid in pids if pid != master}


def test_requests_keep_being_served_when_a_worker_is_killed():
    env = production_env(SITE_URL="http://127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="0", DJANGO_STATIC_MANIFEST="0")
    with run_gunicorn(env, ["--workers", "2"]) as base:
        session = requests.Session()
        assert session.get(f"{base}/login/", timeout=10).status_code == 200
        deadline = time.monotonic() + 10
        while len(before := workers(base)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(before) == 2
        victim = min(before)
        os.kill(victim, signal.SIGKILL)

        statuses = []
        for _ in range(40):
            # A fresh connection each time: a kept-alive one may have belonged to the victim.
            statuses.append(requests.get(f"{base}/login/", timeout=10).status_code)
            time.sleep(0.02)
        assert statuses == [200] * 40

        deadline = time.monotonic() + 10
        while (len(after := workers(base)) < 2 or victim in after) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert victim not in after and len(after) == 2  # the master replaced it

"""Median and p95 latency of GET /api/health against the app under gunicorn (loopback only).

Usage: .venv/bin/python bench/health.py [--requests 300]
Uses DATABASE_URL from the environment (PostgreSQL recommended), local disk storage.
"""

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.fixtures.appserver import http_get, production_env, run_gunicorn  # noqa: E402


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=300)
    args = parser.parse_args()
    import os

    env = production_env(SITE_URL="http://127.0.0.1", DJANGO_SECURE_SSL_REDIRECT="0")
    if os.environ.get("DATABASE_URL"):
        env["DATABASE_URL"] = os.environ["DATABASE_URL"]
    with run_gunicorn(env) as base:
        for _ in range(10):  # warm up connections
            http_get(f"{base}/api/health")
        timings = []
        for _ in range(args.requests):
            started = time.perf_counter()
            status, _, _ = http_get(f"{base}/api/health")
            timings.append((time.perf_counter() - started) * 1000)
            if status != 200:
                sys.exit(f"health answered {status}")
    timings.sort()
    p95 = timings[int(len(timings) * 0.95) - 1]
    print(f"/api/health over {args.requests} requests: median {statistics.median(timings):.1f} ms, p95 {p95:.1f} ms")


if __name__ == "__main__":
    main()

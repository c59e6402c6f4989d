"""What one request costs in-process (no server, no network): mean wall time and queries per
endpoint on the database in DATABASE_URL (a 100,000-case bench database from bench/load.py).

Usage:
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dentallab_bench \
        .venv/bin/python bench/costs.py [--repeat 40] [--profile /cases/]
"""

import argparse
import cProfile
import os
import pstats
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))
from tests.fixtures.appserver import production_env  # noqa: E402

os.environ.update(
    production_env(
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_STATIC_MANIFEST="0",
        LOG_LEVEL="WARNING",
    )
)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--email", default="manager@demo.dentallab.test")
    parser.add_argument("--profile", help="a path to profile with cProfile (top 30 by cumulative time)")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from cases.models import Case

    client = Client(HTTP_HOST="lab.example.com")
    client.force_login(User.objects.get(email=args.email))
    case = Case.objects.order_by("-id").first()
    paths = [
        "/bench/bare",
        "/api/health",
        "/",
        "/cases/",
        "/cases/?status=in_production&ordering=due_date",
        "/cases/?search=smith",
        f"/cases/{case.pk}/",
        "/api/cases/",
        "/api/cases/?status=in_production",
        f"/api/cases/{case.pk}/",
    ]
    if args.profile:
        paths = [args.profile]
    print(f"{Case.objects.count()} cases, {args.email}, mean of {args.repeat}")
    for path in paths:
        for _ in range(3):
            client.get(path)
        queries = []

        def timed(execute, sql, params, many, context, queries=queries):
            start = time.perf_counter()
            try:
                return execute(sql, params, many, context)
            finally:
                queries.append((time.perf_counter() - start, sql))

        with connection.execute_wrapper(timed):
            response = client.get(path)
        sql_ms = sum(q[0] for q in queries) * 1000
        if args.profile:
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
        start, cpu_start = time.perf_counter(), time.process_time()
        for _ in range(args.repeat):
            client.get(path)
        elapsed = (time.perf_counter() - start) / args.repeat * 1000
        # CPU of this (the app's) process: what the request costs in Python, little affected by
        # other load on the machine; wall time includes waiting for PostgreSQL and for the CPU.
        cpu = (time.process_time() - cpu_start) / args.repeat * 1000
        if args.profile:
            profiler.disable()
            pstats.Stats(profiler).sort_stats(os.environ.get("SORT", "cumulative")).print_stats(
                int(os.environ.get("NSTATS", "40"))
            )
            for seconds, sql in queries:
                print(f"{seconds * 1000:6.1f} ms  {sql[:200]}")
        print(
            f"{path:50} {response.status_code} {elapsed:6.1f} ms wall {cpu:6.1f} ms CPU"
            f"  {len(queries):2} queries  {sql_ms:5.1f} ms SQL"
        )


if __name__ == "__main__":
    main()

"""Instructions per request (valgrind's callgrind): a before/after figure that does not move with
the machine, unlike CPU milliseconds on a shared or throttled one.

Usage (a bench database from bench/ceiling.py or bench/production.py; valgrind installed):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dl_perf_bench .venv/bin/python bench/instructions.py \\
        / /cases/ "/cases/{case}/" /api/cases/ [--email manager@demo.dentallab.test] [--requests 20] \\
        [--vs-tree /tmp/before]

For each path (and each tree): one process under callgrind, five warm-up requests, then
--requests requests between two calls of os.getppid(), where callgrind dumps its counters
(--dump-before=os_getppid); the second dump holds the measured requests only. Prints millions of
instructions (Mi) per request of the app's process (PostgreSQL's work is not counted). About a
minute a path on 2 cores; the same run twice agrees within about 1 %.
"""

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

CHILD = """
import os, sys
sys.path.insert(0, os.getcwd())
from tests.fixtures.appserver import production_env
os.environ.update(production_env(DJANGO_SETTINGS_MODULE="bench.settings", DJANGO_SECURE_SSL_REDIRECT="0",
                                 DJANGO_STATIC_MANIFEST="0", LOG_LEVEL="WARNING"))
import django
django.setup()
from django.test import Client
from accounts.models import User
from cases.models import Case
path, email, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
case = Case.objects.filter(status="in_production").order_by("-id").first()
path = path.replace("{case}", str(case.pk))
client = Client(HTTP_HOST="lab.example.com")
client.force_login(User.objects.get(email=email))
for _ in range(5):
    client.get(path)
os.getppid()  # callgrind dumps here: the requests below are the next dump
for _ in range(n):
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
os.getppid()
"""


def measure(tree: Path, path: str, email: str, requests: int) -> float:
    with tempfile.TemporaryDirectory() as out:
        env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
        subprocess.run(
            [
                "valgrind",
                "--tool=callgrind",
                "--dump-before=os_getppid",
                f"--callgrind-out-file={out}/cg.%p",
                sys.executable,
                "-c",
                CHILD,
                path,
                email,
                str(requests),
            ],
            cwd=tree,
            env=env,
            check=True,
            capture_output=True,
        )
        (dump,) = Path(out).glob("cg.*.2")
        totals = next(line for line in dump.read_text().splitlines() if line.startswith("totals:"))
        return int(totals.split()[1]) / requests / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="+")
    parser.add_argument("--email", default="manager@demo.dentallab.test")
    parser.add_argument("--requests", type=int, default=20)
    parser.add_argument("--vs-tree", type=Path, help="another checkout, measured the same way")
    args = parser.parse_args()
    trees = [PROJECT] + ([args.vs_tree.resolve()] if args.vs_tree else [])
    for path in args.paths:
        figures = [measure(tree, path, args.email, args.requests) for tree in trees]
        print(f"{path:40} " + "  ".join(f"{tree.name}: {mi:6.1f} Mi" for tree, mi in zip(trees, figures, strict=True)))


if __name__ == "__main__":
    main()

"""Load test: the app under gunicorn on PostgreSQL with 100,000 cases, driven by locust headless.

Usage (from the README's dev setup; loopback only, bounded in time: about 2 x users-levels x
duration plus set-up):
    make .venv/.installed-dev        # installs locust (requirements-dev.txt)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dentallab_bench .venv/bin/python bench/load.py
    options: --users 50 200  --duration 60  --cases 100000  --out /tmp/dentallab-load

The database named in DATABASE_URL is created if missing, migrated, given the demo accounts
(seed_demo --force: never point this at a real lab's database) and filled to --cases cases with
the cases-api filler (bench/cases.py) when it exists, else bench/fill.py. The app runs with the
Docker image's gunicorn.conf.py when it exists (else 2 gthread workers x 4 threads), with
bench/settings.py: the real settings plus /bench/bare, the ceiling. For every user level it runs
the bare view, then the realistic mix (bench/locustfile.py), each for --duration seconds after
the ramp-up (stats are reset once all users run), and prints throughput, p50/p95/p99 and errors.
"""

import argparse
import csv
import json
import os
import platform
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

from tests.fixtures.appserver import free_port, http_get, production_env  # noqa: E402

PY = sys.executable
LOCUST = str(Path(PY).with_name("locust"))
MIX = ["TechnicianUser", "ManagerUser", "AdminUser", "DentistUser"]
# (tag, user classes, think time): the ceiling and the app flat out (no think time) give the ratio;
# "mix" is people clicking (0.3-1.5 s between requests) and is what the p95 target applies to.
PHASES = [("bare", ["BareUser"], "0,0"), ("saturated", MIX, "0,0"), ("mix", MIX, "0.3,1.5")]


def machine() -> dict:
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    cpu = next((line.split(":", 1)[1].strip() for line in cpuinfo if line.startswith("model name")), "?")
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    mem_kb = next(int(line.split()[1]) for line in meminfo if line.startswith("MemTotal"))
    return {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "nproc": os.cpu_count(),
        "ram_gib": round(mem_kb / 1024 / 1024, 1),
        "cpu": cpu,
        "python": platform.python_version(),
        "loadavg_before": os.getloadavg(),
    }


def run(cmd, env, **kwargs):
    print("$", " ".join(cmd[:6]), "...", flush=True)
    return subprocess.run(cmd, cwd=PROJECT, env=env, check=True, **kwargs)


def ensure_database(url: str):
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    import psycopg

    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')


CASES_API_FILL = """
import sys
from bench import cases as filler
from cases.models import Case
missing = int(sys.argv[1]) - Case.objects.count()
if missing > 0:
    filler.fill(missing)
print(Case.objects.count(), "cases")
"""


def prepare(env, cases: int):
    run([PY, "manage.py", "migrate", "--noinput", "-v", "0"], env)
    run([PY, "manage.py", "seed_demo", "--force"], env, stdout=subprocess.DEVNULL)
    if (PROJECT / "bench" / "cases.py").exists():
        # The cases-api filler (PostgreSQL COPY): its fill() only, not its in-process timings.
        run([PY, "-c", CASES_API_FILL, str(cases)], env)
    else:
        run([PY, "bench/fill.py", "--cases", str(cases)], env)
    run(
        [PY, "manage.py", "shell", "-c", "from django.db import connection; connection.cursor().execute('ANALYZE')"],
        env,
    )


def start_gunicorn(env, log):
    port = free_port()
    conf = PROJECT / "gunicorn.conf.py"
    if conf.exists():
        cmd = [PY, "-m", "gunicorn", "dentallab.wsgi", "-c", str(conf), "--bind", f"127.0.0.1:{port}"]
    else:
        cmd = [PY, "-m", "gunicorn", "dentallab.wsgi", "--bind", f"127.0.0.1:{port}", "--workers", "2",
               "--worker-class", "gthread", "--threads", "4", "--timeout", "30"]  # fmt: skip
    proc = subprocess.Popen(cmd, cwd=PROJECT, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(200):
        try:
            if http_get(f"{base}/api/health", timeout=5)[0] in (200, 503):
                return proc, base
        except OSError:
            pass
        time.sleep(0.1)
    proc.kill()
    raise SystemExit("gunicorn did not start; see its log")


def probe(base) -> list[str]:
    """Names of mix tasks whose endpoints this version of the app does not have (skipped, reported)."""
    skip = []
    checks = {
        "api_list": "/api/cases/",
        "case_list": os.environ.get("LOAD_CASE_LIST_PATH", "/cases/"),
    }
    for name, path in checks.items():
        status = http_get(base + path, timeout=10)[0]
        if status == 404:
            skip.append(name)
    if "api_list" in skip:
        skip += ["case_page", "note", "move"]
    return skip


def locust(base, users, duration, classes, out, env, tag, wait):
    ramp = max(5, users // 20)
    prefix = out / f"{tag}-{users}"
    status_file = out / f"{tag}-{users}-status.json"
    cmd = [
        LOCUST, "-f", str(PROJECT / "bench" / "locustfile.py"), "--headless", "--only-summary",
        "-u", str(users), "-r", str(max(1, users / ramp)), "-t", f"{duration + ramp}s", "--reset-stats",
        "--stop-timeout", "5", "--host", base, "--csv", str(prefix), "--loglevel", "WARNING", *classes,
    ]  # fmt: skip
    with open(out / f"{tag}-{users}-locust.log", "w") as log:
        subprocess.run(
            cmd,
            cwd=PROJECT,
            env={**env, "LOAD_STATUS_FILE": str(status_file), "LOAD_WAIT": wait},
            check=False,
            stdout=subprocess.DEVNULL,
            stderr=log,
            timeout=duration + ramp + 120,
        )
    with open(f"{prefix}_stats.csv") as stats:
        rows = list(csv.DictReader(stats))
    statuses = json.loads(status_file.read_text()) if status_file.exists() else {}
    return rows, statuses


def fmt_rows(rows, ceiling_rps=None):
    lines = [f"{'endpoint':<32}{'reqs':>8}{'fails':>7}{'req/s':>9}{'p50':>7}{'p95':>7}{'p99':>7}{'max':>8}"]
    for row in rows:
        lines.append(
            f"{row['Name'][:31]:<32}{row['Request Count']:>8}{row['Failure Count']:>7}"
            f"{float(row['Requests/s']):>9.1f}{row['50%']:>7}{row['95%']:>7}{row['99%']:>7}"
            f"{float(row['Max Response Time']):>8.0f}"
        )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[50, 200])
    parser.add_argument("--duration", type=int, default=60)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--out", default="/tmp/dentallab-load")
    parser.add_argument("--skip-prepare", action="store_true", help="the database is ready already")
    args = parser.parse_args()
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("Set DATABASE_URL to a PostgreSQL database for the load test (it is filled with cases).")
    if not Path(LOCUST).exists():
        raise SystemExit("locust is missing: make .venv/.installed-dev (it is pinned in requirements-dev.txt)")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    env = production_env(
        DATABASE_URL=url,
        SITE_URL="http://127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        DJANGO_STATIC_MANIFEST="0",
        DJANGO_SETTINGS_MODULE="bench.settings",
        # The image's logging (JSON, INFO: one access line per request) unless told otherwise.
        LOG_LEVEL=os.environ.get("LOG_LEVEL", "INFO"),
    )
    info = machine()
    ensure_database(url)
    if not args.skip_prepare:
        started = time.monotonic()
        prepare(env, args.cases)
        info["prepare_seconds"] = round(time.monotonic() - started)
    with open(out / "gunicorn.log", "w") as log:
        proc, base = start_gunicorn(env, log)
        try:
            skip = probe(base)
            env["LOAD_SKIP"] = ",".join(skip)
            info["skipped_tasks"] = skip
            info["gunicorn_conf"] = (PROJECT / "gunicorn.conf.py").exists()
            results = {"machine": info, "runs": []}
            for users in args.users:
                for tag, classes, wait in PHASES:
                    print(f"--- {tag} at {users} users for {args.duration} s", flush=True)
                    rows, statuses = locust(base, users, args.duration, classes, out, env, tag, wait)
                    results["runs"].append({"tag": tag, "users": users, "rows": rows, "statuses": statuses})
        finally:
            proc.terminate()
            proc.wait(timeout=30)
    print("\n=== DentalLab load test ===")
    print(json.dumps(info))
    for run_ in results["runs"]:
        agg = next(row for row in run_["rows"] if row["Name"] == "Aggregated")
        bare = next(r for r in results["runs"] if r["tag"] == "bare" and r["users"] == run_["users"])
        ceiling = float(next(row for row in bare["rows"] if row["Name"] == "Aggregated")["Requests/s"]) or 1
        codes = run_["statuses"].get("status_codes", {})
        five = sum(n for code, n in codes.items() if int(code) >= 500)
        print(
            f"\n[{run_['tag']} · {run_['users']} users] {float(agg['Requests/s']):.1f} req/s "
            f"({float(agg['Requests/s']) / ceiling:.0%} of the bare view), p50 {agg['50%']} ms, p95 {agg['95%']} ms, "
            f"p99 {agg['99%']} ms, failures {agg['Failure Count']}, 5xx {five}, status codes {codes}"
        )
        print(fmt_rows(run_["rows"]))
    (out / "results.json").write_text(json.dumps(results, indent=1))
    print(f"\nraw results: {out}/results.json")


if __name__ == "__main__":
    main()

"""The app's endpoints next to two ceilings, in the same run over the same database: CPU per
request in-process, and req/s under gunicorn driven by wrk, each as a ratio of the ceilings.

Usage (a throwaway PostgreSQL database whose name contains "bench"; filled on first use):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dentallab_bench .venv/bin/python bench/ceiling.py
    options: --only dashboard,case-page   --skip-wrk   --skip-inprocess   --requests 60
             --duration 10   --connections 32   --rounds 3   --vs-tree /tmp/main-checkout
             --without-panels (dashboard and case page as the core alone renders them)
             --json out.json

What it does, in order:
1. Creates the database if missing and migrates it. If it holds fewer than --cases cases (default
   100,000) it loads the demo accounts (seed_demo --force: never point this at a real lab) and
   fills it with the cases-api filler (bench/cases.py, PostgreSQL COPY, ~1.6 items a case).
   A database already filled is reused as it is.
2. In-process (Django's test Client in a subprocess: full middleware stack, session auth,
   templates, SQL over TCP; no HTTP server): for each endpoint, 5 warm-up requests, then
   --requests requests; the median CPU time of that process (`time.process_time`: Django's own
   work, little affected by other load on the machine, PostgreSQL's share not included), the
   median wall time, and the number of queries one request runs.
3. Under gunicorn (--workers sync workers, 2 by default, bench.settings, LOG_LEVEL=WARNING unless
   --log-level) driven by wrk (--connections 32, --threads 1, --duration 10 s after a 1 s warm-up),
   one endpoint at a time: req/s, p50 and p99 latency, and any non-2xx/3xx answer (flagged);
   and the CPU per request over that run: the gunicorn workers' ("app ms") and their PostgreSQL
   backends' ("pg ms"), read from /proc, and wrk's own ("wrk ms"). Req/s and latency depend on
   what else runs on the machine; CPU per request much less, so on a shared machine compare those.
   Pages are fetched with a real session cookie of --email (the manager: sees all cases).

The ceilings, both anonymous, through the whole middleware stack (bench/urls.py):
- bare: /bench/bare, the smallest Django view;
- one-query: /bench/one-query, the 25 latest cases from the same 100k rows in one query, rendered
  by a Django template: what "a page over this table" costs at the least.
Ratios: "vs bare" and "vs 1q" are the endpoint's req/s divided by the ceiling's (so 0.50 means
half the ceiling's throughput); for CPU they are the ceiling's CPU ms divided by the endpoint's
(the fraction of the ceiling's rate the endpoint would reach if CPU were the only limit); the
ratios of CPU per request under wrk use app + pg + wrk ms: what the req/s ratios would be on an
idle machine, where this run is CPU-bound (2 sync workers, PostgreSQL and wrk on 2 cores).

--vs-tree PATH measures another checkout of the project too (e.g. `git worktree add /tmp/base
main`), endpoint by endpoint alternately with this one, so before/after sit side by side in one
run. An endpoint a tree does not have shows its HTTP status instead of figures. Needs wrk
(`apt-get install wrk`) unless --skip-wrk. The other tools: bench/costs.py --profile PATH
(cProfile of one endpoint), bench/load.py (a realistic mix with locust).
"""

import argparse
import json
import os
import re
import secrets
import shutil
import statistics
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]

# (name, path; {case} is an open case's id, anonymous = fetched without a session)
ENDPOINTS = [
    ("bare", "/bench/bare", "anonymous"),
    ("one-query", "/bench/one-query", "anonymous"),
    ("health", "/api/health", "anonymous"),
    ("dashboard", "/", "signed in"),
    ("case-list", "/cases/", "signed in"),
    ("case-list-filtered", "/cases/?status=in_production&status=quality_check&ordering=due_date", "signed in"),
    ("case-list-search", "/cases/?search=smith", "signed in"),
    ("case-page", "/cases/{case}/", "signed in"),
    ("case-files", "/cases/{case}/files/", "signed in"),
    ("case-ticket", "/cases/{case}/ticket/", "signed in"),
    ("api-cases", "/api/cases/", "signed in"),
    ("api-cases-filtered", "/api/cases/?status=in_production&ordering=due_date", "signed in"),
    ("api-case", "/api/cases/{case}/", "signed in"),
]
CEILINGS = ("bare", "one-query")


def bench_env(*, database_url: str, secret_key: str, log_level: str) -> dict[str, str]:
    """Production settings (DEBUG off) with the bench URLconf, plain HTTP on loopback, and one
    secret key for the in-process run and gunicorn (the session cookie must be valid in both)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "R2_", "DATABASE_", "SITE_URL"))}
    env.update(
        DATABASE_URL=database_url,
        # Workers keep their connection for the whole run (production: 60 s), so the PostgreSQL
        # backends whose CPU is counted stay the same during a measurement.
        DATABASE_CONN_MAX_AGE="3600",
        DJANGO_SETTINGS_MODULE="bench.settings",
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=secret_key,
        SITE_URL="http://127.0.0.1",
        DJANGO_SECURE_SSL_REDIRECT="0",
        DJANGO_SESSION_COOKIE_SECURE="0",
        DJANGO_CSRF_COOKIE_SECURE="0",
        DJANGO_STATIC_MANIFEST="0",
        LOG_LEVEL=log_level,
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


# --- 1. the database ---------------------------------------------------------------------------

FILL = """
import sys
import django
django.setup()
from django.core.management import call_command
from django.db import connection
from cases.models import Case
missing = int(sys.argv[1]) - Case.objects.count()
if missing > 0:
    call_command("seed_demo", "--force", stdout=open("/dev/null", "w"))
    from bench import cases as filler
    filler.fill(int(sys.argv[1]) - Case.objects.count())
    connection.cursor().execute("ANALYZE")
print(Case.objects.count(), "cases", file=sys.stderr)
"""


def prepare(env: dict, cases: int) -> None:
    url = env["DATABASE_URL"]
    parts = urllib.parse.urlsplit(url)
    name = parts.path.lstrip("/")
    if not parts.scheme.startswith("postgres") or "bench" not in name:
        raise SystemExit("DATABASE_URL must name a throwaway PostgreSQL database with 'bench' in its name.")
    import psycopg

    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            conn.execute(f'CREATE DATABASE "{name}"')
    subprocess.run([sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=PROJECT, env=env, check=True)
    subprocess.run([sys.executable, "-c", FILL, str(cases)], cwd=PROJECT, env=env, check=True)


# --- 2. in-process (runs in a subprocess, in the tree being measured) --------------------------


def inprocess(config: dict) -> dict:
    import django

    django.setup()
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from cases.models import Case

    signed_in = Client(HTTP_HOST="127.0.0.1")
    signed_in.force_login(User.objects.get(email=config["email"]))
    anonymous = Client(HTTP_HOST="127.0.0.1")
    case = Case.objects.filter(status="in_production").order_by("-id").first() or Case.objects.order_by("-id").first()
    results = {"session": signed_in.cookies["sessionid"].value, "case": case.pk, "endpoints": {}}
    for name, path, who in config["endpoints"]:
        path = path.format(case=case.pk)
        client = anonymous if who == "anonymous" else signed_in
        status = client.get(path).status_code
        row = {"path": path, "status": status}
        results["endpoints"][name] = row
        if status != 200 or config["skip"]:
            continue
        for _ in range(4):
            client.get(path)
        queries = []
        with connection.execute_wrapper(lambda execute, *args, seen=queries: seen.append(1) or execute(*args)):
            client.get(path)
        cpus, walls = [], []
        for _ in range(config["requests"]):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(path)
            cpus.append((time.process_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        row.update(queries=len(queries), cpu_ms=statistics.median(cpus), wall_ms=statistics.median(walls))
        print(f"  in-process {name:<20} {row['cpu_ms']:6.2f} ms CPU", file=sys.stderr, flush=True)
    return results


def run_inprocess(tree: Path, env: dict, config: dict) -> dict:
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--_inprocess", json.dumps(config), "--tree", str(tree)],
        cwd=tree,
        env={**env, "PYTHONPATH": str(tree)},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


# --- 3. gunicorn + wrk -------------------------------------------------------------------------


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get_status(url: str, headers: dict) -> int:
    import http.client

    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.netloc, timeout=30)
    try:
        conn.request("GET", parts.path + (f"?{parts.query}" if parts.query else ""), headers=headers)
        response = conn.getresponse()
        response.read()
        return response.status
    finally:
        conn.close()


TICK_MS = 1000 / os.sysconf("SC_CLK_TCK")


def proc_stat(pid: int) -> list[str] | None:
    """The fields of /proc/PID/stat after the command name (index 1 = ppid, 11/12 = utime/stime)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_ms(pids) -> float:
    """CPU time (user + system) the processes have used so far, in ms."""
    return sum(int(f[11]) + int(f[12]) for pid in pids if (f := proc_stat(pid))) * TICK_MS


def children_cpu_ms() -> float:
    """CPU time of this process's reaped children (the wrk runs), in ms."""
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (usage.ru_utime + usage.ru_stime) * 1000


def children(ppid: int) -> list[int]:
    return [
        int(p.name)
        for p in Path("/proc").iterdir()
        if p.name.isdigit() and (f := proc_stat(p.name)) and int(f[1]) == ppid
    ]


def postgres_backends(database_url: str) -> list[int]:
    """The server processes of the connections to the bench database (gunicorn's, kept open)."""
    import psycopg

    name = urllib.parse.urlsplit(database_url).path.lstrip("/")
    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", [name]
        ).fetchall()
    return [row[0] for row in rows]


class Gunicorn:
    def __init__(self, tree: Path, env: dict, workers: int, log):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        cmd = [
            sys.executable, "-m", "gunicorn", "dentallab.wsgi", "--bind", f"127.0.0.1:{self.port}",
            "--config", str(PROJECT / "bench" / "gunicorn_bench.py"), "--workers", str(workers),
            "--log-level", env["LOG_LEVEL"].lower(),
        ]  # fmt: skip
        self.proc = subprocess.Popen(cmd, cwd=tree, env={**env, "PYTHONPATH": str(tree)}, stdout=log, stderr=log)
        deadline = time.monotonic() + 60
        while True:
            try:
                if get_status(f"{self.base}/bench/bare", {}) == 200:
                    return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise SystemExit(f"gunicorn in {tree} did not start; see {log.name}")
            time.sleep(0.2)

    def stop(self):
        self.proc.terminate()
        try:
            self.proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


def wrk(url: str, headers: dict, args, server: "Gunicorn", database_url: str) -> dict:
    header_args = [arg for name, value in headers.items() for arg in ("-H", f"{name}: {value}")]
    base = ["wrk", "-t", str(args.threads), "-c", str(args.connections), "--timeout", "10s", *header_args]
    subprocess.run([*base, "-d", "1s", url], check=True, capture_output=True)  # warm-up, not counted
    # What the server's processes spend per request, whatever else runs on the machine: the
    # workers' and their PostgreSQL backends' CPU time over the counted run.
    # And wrk's own (it shares the cores): with all three, the ratios of CPU per request are what
    # the ratios of req/s would be on an otherwise idle machine where the run is CPU-bound.
    workers, backends = children(server.proc.pid), postgres_backends(database_url)
    app_before, pg_before, wrk_before = cpu_ms(workers), cpu_ms(backends), children_cpu_ms()
    out = subprocess.run(
        [*base, "-d", f"{args.duration}s", "--latency", url], check=True, capture_output=True, text=True
    )
    app_cpu, pg_cpu = cpu_ms(workers) - app_before, cpu_ms(backends) - pg_before
    wrk_cpu = children_cpu_ms() - wrk_before
    text = out.stdout

    def ms(label):
        match = re.search(rf"^\s+{label}%\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
        if not match:
            return None
        value, unit = float(match.group(1)), match.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value

    count = re.search(r"(\d+) requests in", text)
    requests = int(count.group(1)) if count else 0
    rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", text)
    errors = re.search(r"Socket errors: (.*)", text)
    return {
        "rps": float(rps.group(1)) if rps else 0.0,
        "p50_ms": ms("50"),
        "p99_ms": ms("99"),
        "app_cpu_ms": app_cpu / requests if requests else None,
        "pg_cpu_ms": pg_cpu / requests if requests else None,
        "wrk_cpu_ms": wrk_cpu / requests if requests else None,
        "non_2xx": int(bad.group(1)) if bad else 0,
        "socket_errors": errors.group(1).strip() if errors else "",
    }


# --- the report --------------------------------------------------------------------------------


def ratio(numerator, denominator) -> str:
    if not numerator or not denominator:
        return "-"
    return f"{numerator / denominator:.2f}"


def figure(value, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def report(trees: list[Path], results: dict, names: list[str]) -> str:
    label = {str(tree): tree_label(tree) for tree in trees}
    lines = [
        f"{'':<35} {'':>3} {'':>3} | {'in-process CPU':<22} | {'gunicorn + wrk':<39}"
        f" | {'CPU per request under wrk':<39}",
        f"{'endpoint':<20} {'tree':<14} {'code':>4} {'qs':>3} | {'ms':>6} {'vs bare':>7} {'vs 1q':>6} |"
        f" {'req/s':>6} {'vs bare':>7} {'vs 1q':>6} {'p50 ms':>7} {'p99 ms':>7} |"
        f" {'app ms':>6} {'pg ms':>6} {'wrk ms':>6} {'vs bare':>7} {'vs 1q':>6}",
    ]
    for name in names:
        for tree in trees:
            result = results[str(tree)]
            row = result["endpoints"].get(name, {})
            load = result.get("wrk", {}).get(name, {})
            cpu, rps, server = row.get("cpu_ms"), load.get("rps"), server_cpu(load)
            bare, one = (result["endpoints"].get(c, {}).get("cpu_ms") for c in CEILINGS)
            bare_rps, one_rps = (result.get("wrk", {}).get(c, {}).get("rps") for c in CEILINGS)
            bare_srv, one_srv = (server_cpu(result.get("wrk", {}).get(c, {})) for c in CEILINGS)
            line = (
                f"{name:<20} {label[str(tree)]:<14} {row.get('status', '-'):>4} {row.get('queries', '-'):>3} |"
                f" {figure(cpu, 2):>6} {ratio(bare, cpu):>7} {ratio(one, cpu):>6} |"
                f" {figure(rps, 0):>6} {ratio(rps, bare_rps):>7} {ratio(rps, one_rps):>6}"
                f" {figure(load.get('p50_ms')):>7} {figure(load.get('p99_ms')):>7} |"
                f" {figure(load.get('app_cpu_ms'), 2):>6} {figure(load.get('pg_cpu_ms'), 2):>6}"
                f" {figure(load.get('wrk_cpu_ms'), 2):>6}"
                f" {ratio(bare_srv, server):>7} {ratio(one_srv, server):>6}"
            )
            if load.get("non_2xx") or load.get("socket_errors"):
                line += f"  !! non-2xx/3xx: {load.get('non_2xx', 0)}, socket errors: {load.get('socket_errors') or '0'}"
            lines.append(line)
    return "\n".join(lines)


def server_cpu(load: dict) -> float | None:
    if load.get("app_cpu_ms") is None:
        return None
    return load["app_cpu_ms"] + (load.get("pg_cpu_ms") or 0) + (load.get("wrk_cpu_ms") or 0)


def tree_label(tree: Path) -> str:
    sha = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=tree, capture_output=True, text=True).stdout
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"], cwd=tree, capture_output=True, text=True
    ).stdout
    return (sha.strip() or tree.name) + ("+dirty" if dirty.strip() else "")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    names = [name for name, _, _ in ENDPOINTS]
    parser.add_argument(
        "--only", help=f"comma-separated endpoints (the ceilings are always measured): {', '.join(names)}"
    )
    parser.add_argument("--skip-wrk", action="store_true", help="in-process CPU only")
    parser.add_argument("--skip-inprocess", action="store_true", help="wrk only (in-process still checks each status)")
    parser.add_argument("--requests", type=int, default=60, help="in-process requests per endpoint (median)")
    parser.add_argument("--duration", type=int, default=10, help="wrk seconds per endpoint")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--threads", type=int, default=1, help="wrk threads (it shares the 2 cores with the app)")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn sync workers")
    parser.add_argument("--rounds", type=int, default=1, help="wrk runs per endpoint (the median is shown)")
    parser.add_argument(
        "--log-level", default="WARNING", help="the app's LOG_LEVEL (INFO: one JSON access line a request)"
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument(
        "--email", default="manager@demo.dentallab.test", help="who the signed-in endpoints are fetched as"
    )
    parser.add_argument(
        "--vs-tree", type=Path, action="append", default=[], help="another checkout to measure alongside"
    )
    parser.add_argument(
        "--without-panels",
        action="store_true",
        help="pages without what the newer apps add to them (bench/settings.py: BENCH_WITHOUT_PANELS)",
    )
    parser.add_argument("--json", type=Path, help="also write the raw figures here")
    parser.add_argument("--tree", type=Path, default=PROJECT, help=argparse.SUPPRESS)
    parser.add_argument("--_inprocess", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args._inprocess:
        sys.path.insert(0, str(args.tree))
        print(json.dumps(inprocess(json.loads(args._inprocess))))
        return

    selected = [n for n in (args.only or "").split(",") if n]
    unknown = set(selected) - set(names)
    if unknown:
        raise SystemExit(f"unknown endpoints: {', '.join(sorted(unknown))}; known: {', '.join(names)}")
    chosen = [e for e in ENDPOINTS if not selected or e[0] in selected or e[0] in CEILINGS]
    if not args.skip_wrk and not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (or --skip-wrk)")
    url = os.environ.get("DATABASE_URL", "")
    env = bench_env(database_url=url, secret_key=secrets.token_urlsafe(50), log_level=args.log_level.upper())
    if args.without_panels:
        env["BENCH_WITHOUT_PANELS"] = "1"
    trees = [PROJECT, *(tree.resolve() for tree in args.vs_tree)]
    load_before = os.getloadavg()
    started = time.monotonic()
    prepare(env, args.cases)

    config = {"email": args.email, "requests": args.requests, "endpoints": chosen, "skip": args.skip_inprocess}
    results = {}
    for tree in trees:
        print(f"in-process, {tree_label(tree)} ({tree})", file=sys.stderr, flush=True)
        results[str(tree)] = run_inprocess(tree, env, config)

    if not args.skip_wrk:
        servers = {}
        try:
            for tree in trees:
                log = open(f"/tmp/ceiling-gunicorn-{os.getpid()}-{tree.name}.log", "w")  # noqa: SIM115
                servers[str(tree)] = Gunicorn(tree, env, args.workers, log)
            runs = {}
            for round_ in range(args.rounds):
                for name, _, who in chosen:
                    for tree in trees:  # alternately, so drift on a shared machine hits each tree alike
                        result = results[str(tree)]
                        row = result["endpoints"][name]
                        if row["status"] != 200:
                            continue
                        headers = {"Host": "127.0.0.1"}
                        if who != "anonymous":
                            headers["Cookie"] = f"sessionid={result['session']}"
                        target = servers[str(tree)].base + row["path"]
                        status = get_status(target, headers)
                        if status != 200:
                            raise SystemExit(f"{name} answered {status} under gunicorn in {tree}")
                        run = wrk(target, headers, args, servers[str(tree)], url)
                        runs.setdefault((str(tree), name), []).append(run)
                        print(
                            f"  wrk round {round_ + 1} {tree_label(tree):<14} {name:<20} {run['rps']:8.0f} req/s",
                            file=sys.stderr,
                            flush=True,
                        )
            for (tree, name), tries in runs.items():
                # The round with the median req/s (with 1 or 2 rounds: the first/lower one).
                middle = sorted(tries, key=lambda run: run["rps"])[(len(tries) - 1) // 2]
                results[tree].setdefault("wrk", {})[name] = {
                    **middle,
                    "rounds": [run["rps"] for run in tries],
                    "non_2xx": sum(run["non_2xx"] for run in tries),
                    "socket_errors": "; ".join(run["socket_errors"] for run in tries if run["socket_errors"]),
                }
        finally:
            for server in servers.values():
                server.stop()

    load_after = os.getloadavg()
    cpus = os.cpu_count()
    print(
        f"\n{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {cpus} CPUs, load average "
        f"{load_before[0]:.1f} before, {load_after[0]:.1f} after ({time.monotonic() - started:.0f} s)"
        + (
            "  <-- the machine is busy: trust CPU ms, not req/s"
            if max(load_before[0], load_after[0]) > cpus + 1
            else ""
        )
    )
    print(
        f"in-process: median of {args.requests} requests as {args.email} (case {results[str(PROJECT)]['case']});"
        + (" pages without the newer apps' panels (--without-panels);" if args.without_panels else "")
        + (
            ""
            if args.skip_wrk
            else f" gunicorn: {args.workers} sync workers, LOG_LEVEL={args.log_level.upper()};"
            f" wrk: {args.threads} thread, {args.connections} connections, {args.duration} s,"
            f" median of {args.rounds} round(s)"
        )
    )
    print(report(trees, results, [e[0] for e in chosen]))
    if args.json:
        args.json.write_text(json.dumps({str(k): v for k, v in results.items()}, indent=1))


if __name__ == "__main__":
    main()

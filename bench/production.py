"""The production floor's pages at scale: board, bench and load view, CPU per request in-process.

Usage (a throwaway PostgreSQL database whose name contains "bench"; filled on first use):
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/dl_production_bench .venv/bin/python bench/production.py
    options: --cases 100000   --open 5000   --requests 40

1. The database as bench/ceiling.py makes it (100,000 cases: demo data, then bench/cases.py); the
   most recent delivered cases reopened until --open (5,000) are on the floor; then production
   steps for every open case that has none: six steps through six departments, the first 0-2 done,
   the next ready or in progress (the bench technicians' and the demo technician's), the rest
   pending, planned over the next two weeks (one INSERT … SELECT; ANALYZE after).
2. In-process, as bench/ceiling.py does (Django's test Client: full middleware, session auth,
   templates, SQL over TCP): per page 5 warm-up requests, then --requests requests; the median CPU
   time of this process (`time.process_time`, PostgreSQL's share not included), the median wall
   time, and the queries one request runs. The board and load view as the demo manager, the
   bench as the demo technician (who is in every department).
"""

import argparse
import os
import secrets
import statistics
import sys
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(PROJECT))

PAGES = [
    ("scan-station", "/scan/", "tech@demo.dentallab.test"),  # reference: base template and one input
    ("dashboard", "/", "manager@demo.dentallab.test"),  # reference: the lab's busiest page
    ("board", "/production/", "manager@demo.dentallab.test"),
    ("board-filtered", "/production/?technician={tech}", "manager@demo.dentallab.test"),
    ("bench", "/bench/", "tech@demo.dentallab.test"),
    ("load", "/production/load/", "manager@demo.dentallab.test"),
    ("api-steps-me", "/api/steps/?technician=me", "tech@demo.dentallab.test"),
]

STEPS_SQL = """
WITH depts AS (
    SELECT id, name, row_number() OVER (ORDER BY position, id) AS rn FROM production_department
), techs AS (
    SELECT array_agg(id ORDER BY id) AS ids FROM accounts_user WHERE role = 'technician' AND is_active
)
INSERT INTO production_casestep
    (case_id, item_id, department_id, name, position, stage, needs_approval, status, technician_id, units,
     planned_date, started_at, finished_at)
SELECT c.id, NULL, d.id, d.name, g.pos, CASE WHEN g.pos = 2 THEN 'design' ELSE 'production' END, false,
       CASE WHEN g.pos <= c.id % 3 THEN 'done'
            WHEN g.pos = c.id % 3 + 1 THEN CASE WHEN c.id % 2 = 0 THEN 'in_progress' ELSE 'ready' END
            ELSE 'pending' END,
       CASE WHEN g.pos <= c.id % 3 OR (g.pos = c.id % 3 + 1 AND c.id % 2 = 0)
            THEN t.ids[1 + (c.id % array_length(t.ids, 1))] END,
       1 + c.id % 3,
       CASE WHEN g.pos > c.id % 3 THEN current_date + ((c.id + g.pos) % 14)::int END,
       CASE WHEN g.pos <= c.id % 3 + 1 THEN now() - interval '1 day' END,
       CASE WHEN g.pos <= c.id % 3 THEN now() - interval '2 hours' END
FROM cases_case c
CROSS JOIN generate_series(1, 6) AS g(pos)
JOIN depts d ON d.rn = CASE WHEN g.pos = 6 THEN 7 ELSE g.pos END
CROSS JOIN techs t
WHERE c.status IN ('received', 'in_design', 'awaiting_approval', 'in_production', 'on_hold')
  AND NOT EXISTS (SELECT 1 FROM production_casestep s WHERE s.case_id = c.id)
"""


OPEN_SQL = """
UPDATE cases_case SET
    status = (ARRAY['received', 'in_design', 'in_production', 'in_production', 'awaiting_approval'])[1 + id %% 5],
    shipped_at = NULL, delivered_at = NULL,
    due_date = current_date + (id %% 14)::int - 2, ship_by = current_date + (id %% 14)::int - 3
WHERE id IN (SELECT id FROM cases_case WHERE status = 'delivered' ORDER BY id DESC LIMIT %s)
"""


def fill_steps(open_target: int) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM cases_case WHERE status NOT IN ('shipped', 'delivered', 'cancelled')")
        missing = open_target - cursor.fetchone()[0]
        if missing > 0:  # the filler leaves ~1,400 cases open; a busy lab has more on the floor
            cursor.execute(OPEN_SQL, [missing])
            print(f"  reopened {cursor.rowcount} delivered cases", file=sys.stderr)
        cursor.execute(STEPS_SQL)
        print(f"  inserted {cursor.rowcount} steps", file=sys.stderr)
        cursor.execute("ANALYZE")


def measure(requests: int) -> list[dict]:
    from django.db import connection
    from django.test import Client

    from accounts.models import User
    from cases.models import Case
    from production.models import CaseStep

    tech = User.objects.get(email="tech@demo.dentallab.test")
    open_cases = Case.objects.exclude(status__in=["shipped", "delivered", "cancelled"]).count()
    open_steps = CaseStep.objects.filter(status__in=["pending", "ready", "in_progress"]).count()
    print(f"  {Case.objects.count()} cases, {open_cases} open, {open_steps} open steps", file=sys.stderr)
    clients = {}
    rows = []
    for name, path, email in PAGES:
        path = path.format(tech=tech.pk)
        if email not in clients:
            clients[email] = Client(HTTP_HOST="127.0.0.1")
            clients[email].force_login(User.objects.get(email=email))
        client = clients[email]
        status = client.get(path).status_code
        for _ in range(4):
            client.get(path)
        queries = []
        with connection.execute_wrapper(lambda execute, *args, seen=queries: seen.append(1) or execute(*args)):
            client.get(path)
        cpus, walls = [], []
        for _ in range(requests):
            wall, cpu = time.perf_counter(), time.process_time()
            client.get(path)
            cpus.append((time.process_time() - cpu) * 1000)
            walls.append((time.perf_counter() - wall) * 1000)
        row = {"name": name, "path": path, "status": status, "queries": len(queries)}
        row.update(cpu_ms=statistics.median(cpus), wall_ms=statistics.median(walls))
        rows.append(row)
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--requests", type=int, default=40)
    parser.add_argument("--open", type=int, default=5000, help="open cases on the floor (delivered ones reopened)")
    args = parser.parse_args()
    from bench.ceiling import bench_env, prepare

    env = bench_env(database_url=os.environ["DATABASE_URL"], secret_key=secrets.token_urlsafe(50), log_level="WARNING")
    prepare(env, args.cases)
    os.environ.update(env)
    import django

    django.setup()
    fill_steps(args.open)
    rows = measure(args.requests)
    print(f"{'page':<16} {'status':>6} {'queries':>7} {'CPU ms':>8} {'wall ms':>8}")
    for row in rows:
        print(f"{row['name']:<16} {row['status']:>6} {row['queries']:>7} {row['cpu_ms']:>8.2f} {row['wall_ms']:>8.2f}")


if __name__ == "__main__":
    main()

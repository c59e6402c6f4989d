"""PostgreSQL stops under a running app: health says 503 at once, pages show the friendly 503,
nothing hangs or 500s; when it comes back the same app processes recover by themselves and every
write committed before the outage is still there.

Runs the real app (gunicorn, 2 workers) against a PRIVATE throwaway cluster
(tests/fixtures/pgcluster.py): the shared server on 5432 is never touched."""

import concurrent.futures
import re
import subprocess
import sys
import time

import pytest
import requests

from tests.fixtures.appserver import PROJECT, production_env, run_gunicorn
from tests.fixtures.pgcluster import postgres_bin_dir, private_postgres

pytestmark = pytest.mark.skipif(postgres_bin_dir() is None, reason="PostgreSQL server binaries are not installed")

EMAIL, PASSWORD = "manager@fault.test", "fault-test-password-1"

SETUP = f"""
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from accounts.models import User
User.objects.create_user(email={EMAIL!r}, password={PASSWORD!r}, name="Fault Manager", role="manager")
from accounts.models import Practice
from cases.models import Case
practice = Practice.objects.create(name="Fault Dental", account_number="FAULT-1")
dentist = User.objects.create_user(email="dr@fault.test", name="Dr Fault", role="dentist", practice=practice)
Case.objects.create(number="2026-90001", practice=practice, dentist=dentist, patient_name="Chart 1", status="received")
"""


@pytest.fixture(scope="module")
def stack():
    with private_postgres() as pg:
        env = production_env(
            DATABASE_URL=pg.url,
            SITE_URL="http://127.0.0.1",
            DJANGO_SECURE_SSL_REDIRECT="0",
            DJANGO_SESSION_COOKIE_SECURE="0",
            DJANGO_CSRF_COOKIE_SECURE="0",
            DJANGO_SETTINGS_MODULE="dentallab.settings",
            DJANGO_STATIC_MANIFEST="0",  # no collectstatic here
        )
        subprocess.run([sys.executable, "-c", SETUP], cwd=PROJECT, env=env, check=True, timeout=120)
        with run_gunicorn(env, ["--workers", "2"]) as base:
            yield pg, base


def signed_in_session(base: str) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=10)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)
    response = session.post(
        f"{base}/login/",
        data={"username": EMAIL, "password": PASSWORD, "remember_me": "on", "csrfmiddlewaretoken": token},
        timeout=10,
        allow_redirects=False,
    )
    assert response.status_code == 302, response.text[:500]
    return session


def wait_until_healthy(base: str, within: float = 15) -> float:
    started = time.monotonic()
    while time.monotonic() - started < within:
        if requests.get(f"{base}/api/health", timeout=10).status_code == 200:
            return time.monotonic() - started
        time.sleep(0.2)
    raise AssertionError(f"the app did not recover within {within} s of the database coming back")


def test_health_and_pages_answer_503_quickly_while_the_database_is_down(stack):
    pg, base = stack
    session = signed_in_session(base)
    assert session.get(f"{base}/", timeout=10).status_code == 200
    pg.stop()
    try:
        started = time.monotonic()
        health = requests.get(f"{base}/api/health", timeout=10)
        assert time.monotonic() - started < 5
        assert health.status_code == 503
        assert health.json()["checks"]["database"]["status"] == "error"

        page = session.get(f"{base}/", timeout=10)
        assert page.status_code == 503
        assert page.headers["Retry-After"] == "30"
        assert "DentalLab is back in a moment" in page.text
        assert "Traceback" not in page.text and "OperationalError" not in page.text
    finally:
        pg.start()
    wait_until_healthy(base)


def test_the_app_recovers_without_a_restart_and_keeps_committed_writes(stack):
    pg, base = stack
    session = signed_in_session(base)  # a committed write: the session row
    sessions_before = int(pg.psql("SELECT count(*) FROM django_session"))
    pids_before = requests.get(f"{base}/api/health", timeout=10).status_code, _gunicorn_pids(base)

    pg.stop()
    assert requests.get(f"{base}/api/health", timeout=10).status_code == 503
    pg.start()

    waited = wait_until_healthy(base)
    assert waited < 10
    assert _gunicorn_pids(base) == pids_before[1]  # the same processes: nothing was restarted
    assert int(pg.psql("SELECT count(*) FROM django_session")) >= sessions_before
    # The session written before the outage still signs the user in, on every worker.
    for _ in range(6):
        response = session.get(f"{base}/", timeout=10, allow_redirects=False)
        assert response.status_code == 200
        assert "Fault Manager" in response.text


def test_under_concurrent_load_an_outage_gives_only_200_or_503_and_loses_no_acknowledged_write(stack):
    pg, base = stack
    session = signed_in_session(base)
    case_id = int(pg.psql("SELECT id FROM cases_case WHERE number = '2026-90001'"))
    csrf = {"X-CSRFToken": session.cookies["csrftoken"]}
    notes_url = f"{base}/api/cases/{case_id}/notes/"
    results: list[tuple[int, float]] = []
    acknowledged: list[int] = []
    attempts = 0
    stop_at = time.monotonic() + 4

    def hammer(url):
        seen = []
        while time.monotonic() < stop_at:
            started = time.monotonic()
            status = session.get(url, timeout=10, allow_redirects=False).status_code
            seen.append((status, time.monotonic() - started))
        return seen

    def write_notes():
        nonlocal attempts
        seen = []
        while time.monotonic() < stop_at:
            attempts += 1
            started = time.monotonic()
            response = session.post(notes_url, json={"body": f"note {attempts}"}, headers=csrf, timeout=10)
            seen.append((response.status_code if response.status_code != 201 else 200, time.monotonic() - started))
            if response.status_code == 201:
                acknowledged.append(response.json()["id"])
        return seen

    with concurrent.futures.ThreadPoolExecutor(4) as pool:
        futures = [pool.submit(hammer, url) for url in (f"{base}/api/health", f"{base}/", f"{base}/cases/")]
        futures.append(pool.submit(write_notes))
        time.sleep(1)
        pg.stop()
        time.sleep(1.5)
        pg.start()
        for future in futures:
            results.extend(future.result())
    wait_until_healthy(base)

    statuses = {status for status, _ in results}
    assert statuses <= {200, 503}, statuses
    assert 503 in statuses and 200 in statuses
    assert max(elapsed for _, elapsed in results) < 5
    # Every note the app said it saved is there after the restart; nothing was saved twice.
    assert acknowledged
    stored = pg.psql(f"SELECT id FROM cases_timelineevent WHERE case_id = {case_id} AND kind = 'note'").split()  # noqa: S608
    assert set(acknowledged) <= {int(pk) for pk in stored}
    assert len(stored) <= attempts


def _gunicorn_pids(base: str) -> set[int]:
    port = base.rsplit(":", 1)[1]
    out = subprocess.run(["ss", "-Hltnp", f"sport = :{port}"], capture_output=True, text=True).stdout
    return {int(pid) for pid in re.findall(r"pid=(\d+)", out)}

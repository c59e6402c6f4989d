"""/api/health shares its checks' result through the cache for at most 5 s (DESIGN §11), builds
its S3 client once per process, and still answers 503 at once when the database or storage is
down — even though the default cache lives in that database."""

import datetime
import time

import boto3
import pytest
from django.core.cache import caches
from django.core.cache.backends.db import DatabaseCache
from django.db import OperationalError, connection
from django.test.utils import CaptureQueriesContext
from freezegun import freeze_time

from dentallab import health

pytestmark = pytest.mark.django_db


@pytest.fixture
def cached(settings):
    settings.HEALTH_CACHE_SECONDS = 5
    caches["default"].delete(health._cache_key())
    health._memo.clear()
    yield
    health._memo.clear()


@pytest.fixture
def check_runs(monkeypatch):
    """How many times each check ran."""
    runs = {"database": 0, "migrations": 0, "storage": 0}

    def counting(name, check):
        def counted():
            runs[name] += 1
            return check()

        return counted

    for name in runs:
        monkeypatch.setattr(health, f"check_{name}", counting(name, getattr(health, f"check_{name}")))
    return runs


def count_head_buckets(options) -> list:
    """Counts the HeadBucket requests of the client health uses for these storage options."""
    client = health.storage_client(options["endpoint_url"], options["access_key"], options["secret_key"])
    calls = []
    client.meta.events.register("before-call.s3.HeadBucket", lambda **kwargs: calls.append(1))
    return calls


@pytest.fixture
def head_bucket_calls(s3_bucket, settings):
    health.storage_client.cache_clear()
    yield count_head_buckets(settings.STORAGES["default"]["OPTIONS"])
    health.storage_client.cache_clear()


def test_a_second_request_within_five_seconds_runs_no_check_and_one_query(client, cached, check_runs):
    """Another process (here: this one with its own copy forgotten) reads the shared entry."""
    with freeze_time("2026-03-02 09:00:00") as clock:
        first = client.get("/api/health")
        assert first.status_code == 200
        assert check_runs == {"database": 1, "migrations": 1, "storage": 1}

        clock.tick(datetime.timedelta(seconds=4.9))
        health._memo.clear()
        with CaptureQueriesContext(connection) as queries:
            second = client.get("/api/health")
        assert second.status_code == 200
        assert second.content == first.content
        assert check_runs == {"database": 1, "migrations": 1, "storage": 1}
        assert len(queries) == 1 and "dentallab_cache" in queries[0]["sql"]  # the cache read, nothing else
        assert second["Cache-Control"].startswith("max-age=0")  # shared between servers, never by proxies


def test_the_same_process_answers_from_its_copy_without_a_query_until_the_entry_is_five_seconds_old(
    client, cached, check_runs
):
    with freeze_time("2026-03-02 09:00:00") as clock:
        first = client.get("/api/health")
        clock.tick(datetime.timedelta(seconds=4.9))
        with CaptureQueriesContext(connection) as queries:
            second = client.get("/api/health")
        assert (second.status_code, second.content) == (200, first.content)
        assert len(queries) == 0
        assert second["Cache-Control"].startswith("max-age=0")

        clock.tick(datetime.timedelta(seconds=0.2))  # the entry's checks are now 5.1 s old
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/health").status_code == 200
        assert any("dentallab_cache" in q["sql"] for q in queries)
    assert check_runs == {"database": 2, "migrations": 2, "storage": 2}


def test_a_copy_read_from_the_shared_entry_expires_with_that_entry_not_later(client, cached, check_runs):
    with freeze_time("2026-03-02 09:00:00") as clock:
        client.get("/api/health")
        clock.tick(datetime.timedelta(seconds=3))
        health._memo.clear()  # another process reads the 3 s old entry...
        client.get("/api/health")
        clock.tick(datetime.timedelta(seconds=2.1))  # ...and keeps it 2 s more, not 5
        with CaptureQueriesContext(connection) as queries:
            client.get("/api/health")
        assert len(queries) >= 1
    assert check_runs["database"] == 2


def test_a_closed_or_noisy_database_connection_makes_it_read_the_database_again(
    client, cached, check_runs, monkeypatch
):
    assert client.get("/api/health").status_code == 200
    monkeypatch.setattr(health, "_connection_quiet", lambda connection: False)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/health").status_code == 200
    assert len(queries) == 1 and "dentallab_cache" in queries[0]["sql"]


def test_a_connection_is_quiet_until_the_server_ends_its_session(django_db_blocker):
    from django.db import connections

    other = connections.create_connection("default")
    try:
        assert not health._connection_quiet(other)  # not connected yet
        other.ensure_connection()
        assert health._connection_quiet(other)
        pid = other.connection.info.backend_pid
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
        deadline = time.monotonic() + 5
        while health._connection_quiet(other) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert not health._connection_quiet(other)
    finally:
        other.close()


def test_after_five_seconds_the_checks_run_again(client, cached, check_runs):
    with freeze_time("2026-03-02 09:00:00") as clock:
        assert client.get("/api/health").status_code == 200
        clock.tick(datetime.timedelta(seconds=5.1))
        assert client.get("/api/health").status_code == 200
    assert check_runs == {"database": 2, "migrations": 2, "storage": 2}


def test_a_cached_result_sends_no_request_to_the_bucket(client, cached, head_bucket_calls):
    assert client.get("/api/health").status_code == 200
    assert client.get("/api/health").status_code == 200
    assert client.get("/api/health").status_code == 200
    assert len(head_bucket_calls) == 1


def test_a_failure_is_cached_too_so_a_flood_does_not_hammer_a_failing_store(client, cached, settings, s3_bucket):
    settings.STORAGES["default"]["OPTIONS"]["bucket_name"] = "no-such-bucket"
    health.storage_client.cache_clear()
    first = client.get("/api/health")
    with CaptureQueriesContext(connection) as queries:
        second = client.get("/api/health")  # this process's copy
    health._memo.clear()
    with CaptureQueriesContext(connection) as shared:
        third = client.get("/api/health")  # another process: the shared entry
    assert first.status_code == second.status_code == third.status_code == 503
    assert second.json()["failing"] == third.json()["failing"] == ["storage"]
    assert len(queries) == 0 and len(shared) == 1


def test_the_storage_client_is_built_once_per_process(client, s3_bucket, settings, monkeypatch):
    # HEALTH_CACHE_SECONDS is 0 in the test settings: every request runs the checks.
    sessions = []
    real_session = boto3.session.Session

    def counting_session(*args, **kwargs):
        sessions.append(1)
        return real_session(*args, **kwargs)

    health.storage_client.cache_clear()
    monkeypatch.setattr(boto3.session, "Session", counting_session)
    assert client.get("/api/health").status_code == 200
    head_buckets = count_head_buckets(settings.STORAGES["default"]["OPTIONS"])  # the same client, no new one
    for _ in range(3):
        response = client.get("/api/health")
        assert response.status_code == 200, response.content
    assert len(sessions) == 1
    assert len(head_buckets) == 3
    health.storage_client.cache_clear()


def test_when_the_database_cache_cannot_reach_the_database_health_does_not_try_again(
    client, cached, check_runs, monkeypatch
):
    cache = caches["default"]
    assert isinstance(cache, DatabaseCache)
    writes = []

    def unreachable(*args, **kwargs):
        raise OperationalError("connection refused (simulated)")

    monkeypatch.setattr(cache, "get", unreachable)
    monkeypatch.setattr(cache, "set", lambda *args, **kwargs: writes.append(args))
    response = client.get("/api/health")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["database", "migrations"]
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert body["checks"]["migrations"]["error"] == "DatabaseUnavailable"
    assert body["checks"]["storage"]["status"] == "ok"
    # One attempt at the database (the cache read), not three (cache read, SELECT 1, cache write):
    # on a database that does not answer each attempt waits for the 3 s connect timeout.
    assert check_runs == {"database": 0, "migrations": 0, "storage": 1}
    assert writes == []
    assert "simulated" not in response.content.decode()


def test_a_cache_that_is_down_does_not_take_health_down(client, cached, check_runs, monkeypatch):
    """A cache other than the database (Redis) failing: the checks run and answer as usual."""

    class CacheDown(Exception):
        pass

    def down(*args, **kwargs):
        raise CacheDown("redis://:hunter2@cache:6379 refused")

    monkeypatch.setattr(caches["default"], "get", down)
    monkeypatch.setattr(caches["default"], "set", down)
    response = client.get("/api/health")
    assert response.status_code == 200
    assert check_runs == {"database": 1, "migrations": 1, "storage": 1}
    assert "hunter2" not in response.content.decode()


def test_a_failing_cache_write_is_ignored(client, cached, monkeypatch):
    def down(*args, **kwargs):
        raise OperationalError("disk full (simulated)")

    monkeypatch.setattr(caches["default"], "set", down)
    assert client.get("/api/health").status_code == 200


def test_health_writes_nothing_but_its_cache_entry(client, cached):
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/api/health").status_code == 200
        assert client.get("/api/health").status_code == 200
    writes = [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE", "CREATE", "ALTER"))
    ]
    assert writes, "the first request stores its result"
    assert all('"dentallab_cache"' in sql for sql in writes), writes


def test_the_cached_body_reveals_no_secret(client, cached, settings, s3_bucket):
    settings.STORAGES["default"]["OPTIONS"]["bucket_name"] = "no-such-bucket"
    health.storage_client.cache_clear()
    fresh = client.get("/api/health")
    again = client.get("/api/health")
    stored = caches["default"].get(health._cache_key())
    assert stored[:2] == (503, fresh.content)
    for text in (fresh.content.decode(), again.content.decode()):
        assert "ClientError" in text
        for secret in ("test-secret-key", "test-access-key", s3_bucket["endpoint"], settings.SECRET_KEY):
            assert secret not in text

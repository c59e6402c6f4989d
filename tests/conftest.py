"""Shared test harness: factories, a real S3-compatible server, headless Chromium, a real app server."""

import pytest

from dentallab.storage_config import local_storage

pytest_plugins = ["tests.fixtures.s3", "tests.fixtures.browser", "tests.fixtures.appserver"]


@pytest.fixture(autouse=True)
def _local_media(settings, tmp_path):
    """Every test gets its own empty media directory unless it asks for S3."""
    media = tmp_path / "media"
    media.mkdir()
    settings.MEDIA_ROOT = str(media)
    settings.STORAGES = {**settings.STORAGES, "default": local_storage(location=str(media), base_url="/media/")}
    # Argon2 is the production hasher (tested in test_settings.py); tests hash thousands of times.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


# Tests that need PostgreSQL: marked `postgres`, or using a fixture that runs a PostgreSQL-only
# server or database. On SQLite they are skipped, and the summary says how many.
POSTGRES_FIXTURES = frozenset({"image_server", "empty_database"})
HOW_TO_POSTGRES = "set DATABASE_URL, or run a server that lets `postgres` in on 127.0.0.1:5432 (tests/settings.py)"
NO_POSTGRES = f"PostgreSQL only: {HOW_TO_POSTGRES}"
SERVICES = {
    "postgres": "PostgreSQL (DATABASE_URL)",
    "s3": "S3 server (moto, HTTP)",
    "browser": "Chromium (Playwright)",
}


def pytest_collection_modifyitems(config, items):
    from django.db import connection

    on_postgres = connection.vendor == "postgresql"
    for item in items:
        if POSTGRES_FIXTURES & set(getattr(item, "fixturenames", ())):
            item.add_marker(pytest.mark.postgres)
        if not on_postgres and item.get_closest_marker("postgres"):
            item.add_marker(pytest.mark.skip(reason=NO_POSTGRES))


def pytest_terminal_summary(terminalreporter):
    """Say how many tests really used PostgreSQL, the S3 server and Chromium, so a silent skip shows."""
    counts = {}
    for outcome in ("passed", "failed", "skipped", "error"):
        for report in terminalreporter.stats.get(outcome, []):
            # A test passes or fails in its call; it is skipped or errors in any phase.
            if outcome in ("passed", "failed") and getattr(report, "when", "call") != "call":
                continue
            for marker in SERVICES:
                if marker in getattr(report, "keywords", {}):
                    counts.setdefault(marker, {}).setdefault(outcome, 0)
                    counts[marker][outcome] += 1
    if counts:
        terminalreporter.write_sep("-", "real services exercised")
        for marker, by_outcome in sorted(counts.items()):
            summary = ", ".join(f"{n} {outcome}" for outcome, n in sorted(by_outcome.items()))
            terminalreporter.write_line(f"{SERVICES[marker]}: {summary}")
        if counts.get("postgres", {}).get("skipped"):
            skipped = counts["postgres"]["skipped"]
            terminalreporter.write_line(f"{skipped} PostgreSQL-only tests skipped: {HOW_TO_POSTGRES}")


@pytest.fixture
def run_tasks(db):
    """Run the queued background tasks now, in this process (the cron endpoint's runner, the same
    claim-and-run loop as `db_worker`): e-mail is sent by tasks, never in the request."""
    from dentallab.task_runner import run_queued_tasks

    def run(seconds: float = 30):
        return run_queued_tasks(seconds=seconds)

    return run

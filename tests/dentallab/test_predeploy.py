"""The release step (`manage.py predeploy`, `make predeploy`, the Vercel production build) on a
real, empty PostgreSQL database."""

import shlex
import subprocess
import sys
import tomllib
import uuid

import psycopg
import pytest
from django.db import connection

from tests.fixtures.appserver import PROJECT, production_env

UNREACHABLE = "postgres://nobody@127.0.0.1:1/none"


@pytest.fixture
def empty_database(django_db_blocker):
    """A new, empty database on the test server; dropped afterwards."""
    if connection.vendor != "postgresql":
        pytest.skip("the release step is tested against PostgreSQL")
    db = connection.settings_dict
    name = f"dentallab_predeploy_{uuid.uuid4().hex[:10]}"
    params = {"host": db["HOST"] or "127.0.0.1", "port": db["PORT"] or 5432, "user": db["USER"]}
    if db["PASSWORD"]:
        params["password"] = db["PASSWORD"]
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    auth = f"{db['USER']}:{db['PASSWORD']}" if db["PASSWORD"] else db["USER"]
    yield f"postgres://{auth}@{params['host']}:{params['port']}/{name}"
    with psycopg.connect(dbname="postgres", autocommit=True, **params) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def predeploy(*args, env):
    return subprocess.run(
        [sys.executable, "manage.py", "predeploy", *args],
        cwd=PROJECT,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )


def test_check_reports_unapplied_migrations_and_changes_nothing(empty_database):
    result = predeploy("--check", env=production_env(DATABASE_URL=empty_database))
    assert result.returncode == 1
    assert "predeploy: check --deploy: no issues" in result.stdout
    assert "unapplied: accounts.0001_initial" in result.stdout
    assert "unapplied migration(s)" in result.stderr
    with psycopg.connect(empty_database.replace("postgres://", "postgresql://")) as conn:
        assert conn.execute("SELECT to_regclass('django_migrations')").fetchone() == (None,)


def test_it_migrates_over_the_direct_url_and_confirms_the_schema(empty_database):
    # The pooled URL is unreachable: only the direct one can have done the work.
    env = production_env(DATABASE_URL=UNREACHABLE, DIRECT_DATABASE_URL=empty_database)
    result = predeploy(env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    lines = [line for line in result.stdout.splitlines() if line.startswith("predeploy:")]
    assert lines[0].endswith("(DIRECT_DATABASE_URL, unpooled)")
    assert lines[1:4] == [
        "predeploy: check --deploy: no issues",
        "predeploy: makemigrations --check: every model change has a migration",
        lines[3],
    ]
    assert lines[3].startswith("predeploy: migrate: applying ") and "accounts.0001_initial" in lines[3]
    assert "predeploy: migrate --check: the schema matches the code" in lines
    again = predeploy(env=env)
    assert "predeploy: migrate: nothing to apply, the schema is up to date" in again.stdout
    assert predeploy("--check", env=env).returncode == 0


def test_it_refuses_a_configuration_that_fails_check_deploy(empty_database):
    result = predeploy(env=production_env(DATABASE_URL=empty_database, DJANGO_SECURE_HSTS_SECONDS="0"))
    assert result.returncode != 0
    assert "security.W004" in result.stderr
    assert "migrate: applying" not in result.stdout


def test_make_predeploy_runs_the_same_command():
    dry = subprocess.run(
        ["make", "--no-print-directory", "-n", "predeploy", "ARGS=--check"], cwd=PROJECT, capture_output=True, text=True
    )
    assert dry.stdout.strip().endswith("python manage.py predeploy --check")


def test_the_vercel_production_build_migrates_over_the_direct_url(empty_database, tmp_path):
    build = shlex.split(tomllib.loads((PROJECT / "pyproject.toml").read_text())["tool"]["vercel"]["scripts"]["build"])
    env = production_env(
        VERCEL="1",
        VERCEL_ENV="production",
        DATABASE_URL=UNREACHABLE,
        DIRECT_DATABASE_URL=empty_database,
        STATIC_ROOT=str(tmp_path / "static"),
        # collectstatic with the manifest storage (60-90 s of compression) is the shared preview
        # build's (fixture `collected_static`); here it copies, and the release step is the point.
        DJANGO_STATIC_MANIFEST="0",
        R2_BUCKET_NAME="lab-files",
        R2_ENDPOINT="https://acct.r2.cloudflarestorage.com",
        R2_ACCESS_KEY_ID="a",
        R2_SECRET_ACCESS_KEY="s",
    )
    result = subprocess.run(
        [sys.executable, *build[1:]], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "predeploy: migrate --check: the schema matches the code" in result.stdout
    assert "static files copied" in result.stdout
    assert (tmp_path / "static" / "css").is_dir()

"""Production settings, checked in a fresh interpreter with a production environment."""

import subprocess
import sys

from django.conf import settings

from dentallab.storage_config import r2_storage
from tests.fixtures.appserver import PROJECT, production_env


def run_python(code: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-c", code], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )


def run_manage(*args: str, env: dict) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=PROJECT, env=env, capture_output=True, text=True, timeout=60
    )


def test_check_deploy_is_clean_with_production_variables():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=production_env())
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_settings_import_without_any_secret_for_build_steps():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run_python(
        "import django; django.setup(); print('imported')", env={**env, "DJANGO_SETTINGS_MODULE": "dentallab.settings"}
    )
    assert result.returncode == 0, result.stderr
    assert "imported" in result.stdout


def test_the_app_refuses_to_start_without_a_secret_key():
    env = production_env()
    del env["DJANGO_SECRET_KEY"]
    result = run_python("import dentallab.wsgi", env=env)
    assert result.returncode != 0
    assert "DentalLab refuses to start: DJANGO_SECRET_KEY is not set" in result.stderr
    check = run_manage("check", env=env)
    assert check.returncode != 0
    assert "dentallab.E001" in check.stderr


def test_the_app_refuses_a_weak_secret_key():
    result = run_python("import dentallab.wsgi", env=production_env(DJANGO_SECRET_KEY="secret"))
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY is too weak" in result.stderr


def test_production_security_defaults_are_on_and_overridable():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_HSTS_SECONDS, "
        "s.ALLOWED_HOSTS, s.CSRF_TRUSTED_ORIGINS, s.PASSWORD_HASHERS[0].rsplit('.', 1)[1])"
    )
    env = {**production_env(), "DJANGO_SETTINGS_MODULE": "dentallab.settings"}
    out = run_python(code, env).stdout.strip()
    assert out == "True True True 31536000 ['lab.example.com'] ['https://lab.example.com'] Argon2PasswordHasher"
    out = run_python(code, {**env, "DJANGO_SECURE_SSL_REDIRECT": "0"}).stdout.strip()
    assert out.startswith("False True True")


def test_a_bad_boolean_is_refused_loudly():
    env = {**production_env(DJANGO_SECURE_SSL_REDIRECT="maybe"), "DJANGO_SETTINGS_MODULE": "dentallab.settings"}
    result = run_python("import django; django.setup()", env)
    assert result.returncode != 0
    assert "DJANGO_SECURE_SSL_REDIRECT must be one of" in result.stderr


def test_postgres_connections_time_out_and_pooled_urls_disable_persistence():
    code = (
        "import django; django.setup(); from django.conf import settings as s; d = s.DATABASES['default']; "
        "print(d['OPTIONS']['connect_timeout'], d['CONN_MAX_AGE'], d.get('DISABLE_SERVER_SIDE_CURSORS', False))"
    )
    env = {**production_env(), "DJANGO_SETTINGS_MODULE": "dentallab.settings"}
    direct = run_python(code, {**env, "DATABASE_URL": "postgres://u:p@db.example.com:5432/lab"}).stdout.split()
    pooled = run_python(code, {**env, "DATABASE_URL": "postgres://u:p@ep-x-pooler.eu.aws.neon.tech/lab"}).stdout.split()
    assert direct == ["3", "60", "False"]
    assert pooled == ["3", "0", "True"]


def test_r2_storage_options_are_what_r2_needs():
    options = r2_storage(bucket="b", endpoint="https://acct.r2.cloudflarestorage.com", access_key="a", secret_key="s")[
        "OPTIONS"
    ]
    config = options["client_config"]
    assert config.signature_version == "s3v4"
    assert config.region_name == "auto"
    assert config.request_checksum_calculation == "when_required"
    assert config.response_checksum_validation == "when_required"
    assert options["default_acl"] is None
    assert options["custom_domain"] is None
    assert options["querystring_auth"] is True


def test_development_defaults_use_local_disk():
    assert settings.STORAGES["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"


def test_direct_postgres_connections_carry_a_statement_timeout_and_pooled_ones_do_not():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(repr(s.DATABASES['default']['OPTIONS'].get('options')))"
    )
    env = {**production_env(), "DJANGO_SETTINGS_MODULE": "dentallab.settings"}
    direct = run_python(code, {**env, "DATABASE_URL": "postgres://u:p@db.example.com:5432/lab"}).stdout.strip()
    tuned = run_python(
        code,
        {**env, "DATABASE_URL": "postgres://u:p@db.example.com/lab", "DATABASE_STATEMENT_TIMEOUT_MS": "5000"},
    ).stdout.strip()
    pooled = run_python(code, {**env, "DATABASE_URL": "postgres://u:p@ep-x-pooler.eu.aws.neon.tech/lab"}).stdout.strip()
    assert direct == "'-c statement_timeout=30000'"
    assert tuned == "'-c statement_timeout=5000'"
    assert pooled == "None"  # PgBouncer refuses startup options: set on the role (docs/operations.md)


def test_a_statement_timeout_is_enforced_by_postgres(db):
    import pytest
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL only")
    with connection.cursor() as cursor:
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone()[0] == "30s"


def test_check_deploy_is_clean_with_r2_and_sentry_configured():
    env = production_env(
        R2_BUCKET_NAME="lab-files",
        R2_ENDPOINT="https://acct.r2.cloudflarestorage.com",
        R2_ACCESS_KEY_ID="a",
        R2_SECRET_ACCESS_KEY="s",
        SENTRY_DSN="https://public@o0.ingest.sentry.invalid/1",
        DATABASE_URL="postgres://u:p@ep-x-pooler.eu.aws.neon.tech/lab",
        DIRECT_DATABASE_URL="postgres://u:p@ep-x.eu.aws.neon.tech/lab",
    )
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr

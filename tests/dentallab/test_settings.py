"""Production settings, checked in a fresh interpreter with a production environment."""

import ast
import re
import subprocess
import sys

import pytest
from django.conf import global_settings, settings
from django.core.exceptions import ImproperlyConfigured

import dentallab.settings as project_settings
from dentallab.env import env_choice, env_float, env_int
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


@pytest.mark.postgres
def test_a_statement_timeout_is_enforced_by_postgres(db):
    from django.db import connection

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


# --- One home for every setting (issue 10) ----------------------------------------------------

SETTINGS_PY = PROJECT / "dentallab" / "settings.py"
# Every package with an apps.py, and the project package: the code that may read settings.
CODE = sorted(
    path
    for package in [PROJECT / "dentallab", *(p.parent for p in PROJECT.glob("*/apps.py"))]
    for path in package.rglob("*.py")
    if "migrations" not in path.parts and path != SETTINGS_PY
)


def start(**variables) -> subprocess.CompletedProcess:
    """Load the real settings in a fresh interpreter, as the app starts, with these variables."""
    env = {**production_env(**variables), "DJANGO_SETTINGS_MODULE": "dentallab.settings"}
    return run_python("import django; django.setup(); print('started')", env)


NONSENSE = [
    ("FILE_UPLOAD_MAX_BYTES", "-5", "must be at least 1"),
    ("FILE_UPLOAD_MAX_BYTES", "0", "must be at least 1"),
    ("MAX_APP_UPLOAD_BYTES", "-1", "must be at least 1"),
    ("FILE_MULTIPART_PART_SIZE", "1024", "must be between 5242880 and 5368709120"),
    ("FILE_DOWNLOAD_URL_EXPIRY", "-300", "must be between 1 and 604800"),
    ("FILE_UPLOAD_URL_EXPIRY", "0", "must be between 1 and 604800"),
    ("FILE_UPLOAD_PART_URL_EXPIRY", "864000", "must be between 1 and 604800"),
    ("FILE_ZIP_MAX_RATIO", "0", "must be at least 1"),
    ("DATABASE_CONNECT_TIMEOUT", "0", "must be at least 1"),
    ("DATABASE_STATEMENT_TIMEOUT_MS", "0", "must be at least 1"),
    ("DATABASE_CONN_MAX_AGE", "-1", "must be at least 0"),
    ("DJANGO_SECURE_HSTS_SECONDS", "-1", "must be at least 0"),
    ("DJANGO_TRUSTED_PROXY_COUNT", "-2", "must be at least 0"),
    ("JWT_ACCESS_TOKEN_MINUTES", "0", "must be at least 1"),
    ("JWT_REFRESH_TOKEN_DAYS", "-30", "must be at least 1"),
    ("LOGIN_FAILURE_LIMIT", "0", "must be at least 1"),
    ("LOGIN_LOCKOUT_MINUTES", "0", "must be at least 1"),
    ("CASE_COUNT_CACHE_SECONDS", "-5", "must be at least 0"),
    ("EMAIL_PORT", "70000", "must be between 1 and 65535"),
    ("EMAIL_TIMEOUT", "0", "must be at least 1"),
    ("EMAIL_MAX_ATTEMPTS", "0", "must be at least 1"),
    ("WEEKLY_RECAP_HOUR", "24", "must be between 0 and 23"),
    ("CRON_RUN_SECONDS", "0", "must be at least 1.0"),
    ("STATEMENT_STORAGE_TIMEOUT", "0", "must be at least 0.1"),
    ("SENTRY_TRACES_SAMPLE_RATE", "-0.5", "must be between 0.0 and 1.0"),
    ("SENTRY_TRACES_SAMPLE_RATE", "150", "must be between 0.0 and 1.0"),
    ("SENTRY_TRACES_SAMPLE_RATE", "nan", "must be a finite number"),
    ("FILE_UPLOAD_MAX_BYTES", "5MB", "must be an integer"),
    ("DENTALLAB_TOOTH_NOTATION", "roman", "must be one of fdi, universal"),
    ("LAB_REGULATORY_REGION", "mars", "must be one of eu, uk, us"),
    ("LOG_LEVEL", "loud", "must be one of debug, info, warning, error, critical"),
    ("LOG_FORMAT", "xml", "must be one of json, text"),
    ("HEALTH_CACHE_SECONDS", "60", "must be between 0 and 5"),
]
# One interpreter loads settings.py once per value (a fresh module each time), instead of one
# interpreter per value: the same code path as a start-up, at a fraction of the cost.
LOAD_EACH = """
import importlib, json, os, sys
base = dict(os.environ)
results = []
for name, value in json.loads(sys.argv[1]):
    os.environ.clear()
    os.environ.update(base, **{name: value})
    sys.modules.pop("dentallab.settings", None)
    try:
        importlib.import_module("dentallab.settings")
        results.append("loaded")
    except Exception as exc:
        results.append(f"{type(exc).__name__}: {exc}")
print(json.dumps(results))
"""


@pytest.fixture(scope="module")
def refusals() -> dict[tuple[str, str], str]:
    import json

    pairs = [(name, value) for name, value, _ in NONSENSE]
    result = subprocess.run(
        [sys.executable, "-c", LOAD_EACH, json.dumps(pairs)],
        cwd=PROJECT,
        env=production_env(),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return dict(zip(pairs, json.loads(result.stdout), strict=True))


@pytest.mark.parametrize(("name", "value", "says"), NONSENSE)
def test_a_nonsensical_value_is_refused_naming_the_variable(refusals, name, value, says):
    assert refusals[name, value] == f"ImproperlyConfigured: {name} {says}; got '{value}'"


@pytest.mark.parametrize(("name", "value"), [("FILE_UPLOAD_MAX_BYTES", "-5"), ("DATABASE_CONNECT_TIMEOUT", "0")])
def test_the_app_refuses_to_start_with_a_nonsensical_value(name, value):
    result = run_python("import dentallab.wsgi; print('started')", production_env(**{name: value}))
    assert result.returncode != 0
    assert "started" not in result.stdout
    assert f"{name} must be at least 1; got '{value}'" in result.stderr
    check = run_manage("check", env=production_env(**{name: value}))
    assert check.returncode != 0 and f"{name} must be at least 1" in check.stderr


def test_the_limits_admit_the_edges_and_the_documented_values():
    result = start(
        FILE_UPLOAD_MAX_BYTES="1",
        CASE_COUNT_CACHE_SECONDS="0",
        WEEKLY_RECAP_HOUR="0",
        SENTRY_TRACES_SAMPLE_RATE="1",
        FILE_MULTIPART_PART_SIZE=str(5 * 1024 * 1024),
        DENTALLAB_TOOTH_NOTATION="Universal",
        LAB_REGULATORY_REGION="UK",
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_env_readers_check_their_range(monkeypatch):
    monkeypatch.setenv("DL_TEST_INT", "7")
    assert env_int("DL_TEST_INT", 1, min_value=7, max_value=7) == 7
    monkeypatch.setenv("DL_TEST_INT", "-5")
    with pytest.raises(ImproperlyConfigured, match="DL_TEST_INT must be at least 0; got '-5'"):
        env_int("DL_TEST_INT", 1, min_value=0)
    with pytest.raises(ImproperlyConfigured, match="DL_TEST_INT must be at most -6; got '-5'"):
        env_int("DL_TEST_INT", 1, max_value=-6)
    monkeypatch.setenv("DL_TEST_FLOAT", "inf")
    with pytest.raises(ImproperlyConfigured, match="DL_TEST_FLOAT must be a finite number"):
        env_float("DL_TEST_FLOAT", 1.0)
    monkeypatch.delenv("DL_TEST_INT")
    assert env_int("DL_TEST_INT", -1, min_value=0) == -1  # the default is the code's, and trusted
    monkeypatch.setenv("DL_TEST_CHOICE", " EU ")
    assert env_choice("DL_TEST_CHOICE", "us", ("eu", "us")) == "eu"


def test_settings_read_in_one_order_imports_first_and_each_variable_once():
    source = SETTINGS_PY.read_text()
    body = ast.parse(source).body
    first_other = next(i for i, node in enumerate(body[1:], 1) if not isinstance(node, ast.Import | ast.ImportFrom))
    late = [node.lineno for node in body[first_other:] if isinstance(node, ast.Import | ast.ImportFrom)]
    nested = [
        node.lineno
        for node in ast.walk(ast.Module(body=body[first_other:], type_ignores=[]))
        if isinstance(node, ast.Import | ast.ImportFrom)
    ]
    assert late == nested == [], f"imports belong at the top of settings.py (lines {late or nested})"
    assert source.count('"EXCEPTION_HANDLER"') == 1
    variables = re.findall(r'env_(?:str|bool|int|float|list|choice)\(\s*"([A-Z][A-Z0-9_]*)"', source)
    assert [name for name in set(variables) if variables.count(name) > 1] == []
    assert "globals()" not in source


GUESS = re.compile(r"(?:getattr|hasattr)\(\s*(?:django_)?settings\b[^)]*\)")


def test_app_code_reads_settings_that_settings_py_defines_and_never_guesses_a_default():
    guessed, undefined = [], []
    for path in CODE:
        text = path.read_text()
        relative = path.relative_to(PROJECT)
        guessed += [
            f"{relative}: {m}" for m in re.findall(r"(?:getattr|hasattr)\(\s*(?:django_)?settings\b[^)]*\)", text)
        ]
        undefined += [
            f"{relative}: settings.{name}"
            for name in re.findall(r"\bsettings\.([A-Z][A-Z0-9_]*)\b", text)
            if not hasattr(project_settings, name) and not hasattr(global_settings, name)
        ]
    assert guessed == [], "read settings.X and define X (from the environment) in dentallab/settings.py"
    assert undefined == []
    assert len(CODE) > 50  # the walk found the apps

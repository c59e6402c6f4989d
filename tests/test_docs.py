"""The runbooks stay true to the code: every environment variable the code reads is documented."""

import re

from tests.fixtures.appserver import PROJECT

READERS = re.compile(
    r"""(?:env_(?:str|bool|int|float|list)\(\s*|os\.environ(?:\.get)?[\[(]\s*|os\.environ\.setdefault\(\s*)["']([A-Z][A-Z0-9_]+)["']"""
)
SOURCES = [
    *sorted((PROJECT / "dentallab").rglob("*.py")),
    *sorted((PROJECT / "accounts").rglob("*.py")),
    *sorted((PROJECT / "cases").rglob("*.py")),
    *sorted((PROJECT / "files").rglob("*.py")),
    PROJECT / "gunicorn.conf.py",
]


def variables_read_by_the_code() -> set[str]:
    names = set()
    for path in SOURCES:
        names |= set(READERS.findall(path.read_text()))
    # Read in a loop or an f-string, which the pattern above cannot see.
    settings = (PROJECT / "dentallab" / "settings.py").read_text()
    names |= set(re.findall(r'"(VERCEL_[A-Z_]+)"', settings))
    names |= set(re.findall(r"env_int\('([A-Z_]+)'", settings))
    return names


def test_every_environment_variable_is_in_the_deployment_table():
    documented = set(re.findall(r"^\| `([A-Z][A-Z0-9_]+)`", (PROJECT / "docs" / "deployment.md").read_text(), re.M))
    documented |= set(re.findall(r"`([A-Z][A-Z0-9_]+)`", (PROJECT / "docs" / "deployment.md").read_text()))
    missing = variables_read_by_the_code() - documented
    assert not missing, f"add these to docs/deployment.md section 1: {sorted(missing)}"


def test_the_scan_finds_the_variables_it_should():
    found = variables_read_by_the_code()
    for name in ("DJANGO_SECRET_KEY", "DATABASE_URL", "DATABASE_STATEMENT_TIMEOUT_MS", "WEB_CONCURRENCY", "VERCEL_URL"):
        assert name in found

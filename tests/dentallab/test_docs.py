"""The runbooks stay true to the code: every environment variable the code reads is documented."""

import re

from tests.fixtures.appserver import PROJECT

READERS = re.compile(
    r"""(?:env_(?:str|bool|int|float|list|choice)\(\s*|os\.environ(?:\.get)?[\[(]\s*|os\.environ\.setdefault\(\s*)["']([A-Z][A-Z0-9_]+)["']"""
)
# The project package and every app (a package with apps.py), so a new app's variables count too.
SOURCES = [
    *sorted((PROJECT / "dentallab").rglob("*.py")),
    *sorted(path for apps in PROJECT.glob("*/apps.py") for path in apps.parent.rglob("*.py")),
    PROJECT / "gunicorn.conf.py",
]


def variables_read_by_the_code() -> set[str]:
    names = set()
    for path in SOURCES:
        names |= set(READERS.findall(path.read_text()))
    # Read in a loop or an f-string, which the pattern above cannot see.
    settings = (PROJECT / "dentallab" / "settings.py").read_text()
    names |= set(re.findall(r'"(VERCEL_[A-Z_]+)"', settings))
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


def test_every_variable_in_the_readme_is_read_by_the_code():
    readme = (PROJECT / "README.md").read_text()
    first_columns = [line.split("|")[1] for line in readme.splitlines() if line.startswith("| `")]
    named = set(re.findall(r"`([A-Z][A-Z0-9_]{3,})`", "\n".join(first_columns)))
    unknown = named - variables_read_by_the_code()
    assert not unknown, f"README names variables the code does not read: {sorted(unknown)}"


def test_the_readme_screenshots_exist():
    readme = (PROJECT / "README.md").read_text()
    images = re.findall(r"\]\((docs/screenshots/[^)]+\.png)\)", readme)
    assert len(images) >= 5
    assert [image for image in images if not (PROJECT / image).is_file()] == []


def _api_paths():
    from django.urls import get_resolver

    def walk(resolver, prefix):
        for pattern in resolver.url_patterns:
            if hasattr(pattern, "url_patterns"):
                yield from walk(pattern, prefix + str(pattern.pattern))
            else:
                yield prefix + str(pattern.pattern)

    for raw in walk(get_resolver(), "/"):
        path = re.sub(r"\(\?P<\w+>[^)]*\)|<(?:\w+:)?\w+>", "{id}", raw.replace("^", "").replace("$", ""))
        if path.startswith("/api/") and "format" not in path and "\\." not in path:
            yield path


def test_every_api_endpoint_is_in_the_api_docs():
    documented = (PROJECT / "docs" / "api.md").read_text()
    missing = sorted({path for path in _api_paths() if path not in documented})
    assert not missing, f"document these in docs/api.md: {missing}"


def test_the_deployment_table_states_the_defaults_settings_py_uses():
    """Each numeric variable's default in docs/deployment.md is the one settings.py passes to
    env_int / env_float (conditional defaults, such as DEBUG-dependent ones, are left to the text)."""
    settings_py = (PROJECT / "dentallab" / "settings.py").read_text()
    table = dict(
        re.findall(r"^\| `([A-Z][A-Z0-9_]+)` \| ([^|]*) \|", (PROJECT / "docs" / "deployment.md").read_text(), re.M)
    )
    checked, wrong = 0, []
    for name, expression in re.findall(r'env_(?:int|float)\(\s*"([A-Z][A-Z0-9_]*)",\s*([^,\n]+?)\s*[,)]', settings_py):
        try:
            default = eval(expression, {"__builtins__": {}}, {"MiB": 1024 * 1024})  # noqa: S307 — our own literals
        except NameError:
            continue  # depends on another setting (DEBUG, ON_VERCEL...)
        documented = re.search(r"`(-?[\d.]+)`", table.get(name, ""))
        checked += 1
        if not documented or float(documented.group(1)) != float(default):
            wrong.append(f"{name}: settings.py {default}, docs {table.get(name)!r}")
    assert wrong == []
    assert checked >= 25

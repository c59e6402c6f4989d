"""vercel.json, the Vercel build hook and the settings the app needs on Vercel."""

import json
import shlex
import subprocess
import sys
import tomllib

from tests.fixtures.appserver import PREVIEW_BUILD_ENV, PROJECT, production_env

VERCEL_JSON = json.loads((PROJECT / "vercel.json").read_text())
PYPROJECT = tomllib.loads((PROJECT / "pyproject.toml").read_text())
R2 = {
    "R2_BUCKET_NAME": "lab-files",
    "R2_ENDPOINT": "https://acct.r2.cloudflarestorage.com",
    "R2_ACCESS_KEY_ID": "a",
    "R2_SECRET_ACCESS_KEY": "s",
}


def vercel_env(**overrides) -> dict[str, str]:
    return {
        **production_env(VERCEL="1", VERCEL_URL="dentallab-git-abc123.vercel.app", **R2),
        "DJANGO_SETTINGS_MODULE": "dentallab.settings",
        **overrides,
    }


def run(cmd: list[str], env: dict, timeout: int = 600) -> subprocess.CompletedProcess:
    return subprocess.run(cmd, cwd=PROJECT, env=env, capture_output=True, text=True, timeout=timeout)


def test_vercel_json_names_django_and_an_entry_point_that_exists():
    assert VERCEL_JSON["framework"] == "django"
    [function] = VERCEL_JSON["functions"]
    assert (PROJECT / function).is_file()
    assert function == "dentallab/wsgi.py"


def test_the_entry_point_vercel_derives_from_the_settings_imports_and_exposes_app():
    # Vercel reads WSGI_APPLICATION from the settings, imports that module and serves `app`.
    code = (
        "from django.conf import settings; import django, importlib; django.setup(); "
        "module, _, name = settings.WSGI_APPLICATION.rpartition('.'); m = importlib.import_module(module); "
        "print(module.replace('.', '/') + '.py', callable(m.app), m.app is getattr(m, name))"
    )
    result = run([sys.executable, "-c", code], vercel_env())
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [next(iter(VERCEL_JSON["functions"])), "True", "True"]


def test_pyproject_dependencies_match_requirements_txt():
    # On Vercel, pyproject.toml wins over requirements.txt: both must list the same pins.
    requirements = [
        line.strip()
        for line in (PROJECT / "requirements.txt").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    dependencies = PYPROJECT["project"]["dependencies"]
    missing, extra = sorted(set(requirements) - set(dependencies)), sorted(set(dependencies) - set(requirements))
    assert dependencies == requirements, (
        f"pyproject.toml dependencies must repeat requirements.txt in order: missing {missing}, extra {extra}"
    )
    assert PYPROJECT["project"]["requires-python"] == ">=3.11,<3.13"  # Vercel then picks 3.12, tested in CI


def test_settings_on_vercel_allow_its_hosts_and_require_direct_uploads():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.UPLOADS_DIRECT_ONLY, s.MAX_APP_UPLOAD_BYTES, s.FILE_UPLOAD_MAX_BYTES, ' '.join(s.ALLOWED_HOSTS))"
    )
    result = run([sys.executable, "-c", code], vercel_env(VERCEL_BRANCH_URL="dentallab-git-main.vercel.app"))
    assert result.returncode == 0, result.stderr
    direct, app_max, file_max, *hosts = result.stdout.split()
    assert direct == "True"
    assert int(app_max) == 4 * 1024 * 1024 < 4_500_000  # Vercel's request body cap
    assert int(file_max) == 500 * 1024 * 1024
    assert hosts == ["lab.example.com", "dentallab-git-abc123.vercel.app", "dentallab-git-main.vercel.app"]


def test_elsewhere_uploads_may_pass_through_the_app():
    code = (
        "import django; django.setup(); from django.conf import settings as s; "
        "print(s.UPLOADS_DIRECT_ONLY, s.MAX_APP_UPLOAD_BYTES)"
    )
    env = {**production_env(), "DJANGO_SETTINGS_MODULE": "dentallab.settings"}
    assert run([sys.executable, "-c", code], env).stdout.split() == ["False", str(500 * 1024 * 1024)]


def test_check_deploy_refuses_vercel_without_r2():
    env = vercel_env()
    for name in R2:
        del env[name]
    result = run([sys.executable, "manage.py", "check", "--deploy"], env)
    assert result.returncode != 0
    assert "dentallab.E002" in result.stderr


def test_the_build_hook_collects_static_files_and_skips_migrations_on_previews(collected_static):
    """The shared fixture IS the preview build (no secret key, an unreachable database): it
    succeeded and left a manifest; here, what it said."""
    build = shlex.split(PYPROJECT["tool"]["vercel"]["scripts"]["build"])
    assert build[:2] == ["python", "manage.py"]
    assert PREVIEW_BUILD_ENV["VERCEL_ENV"] == "preview"
    assert (collected_static.root / "staticfiles.json").exists()
    assert "static files copied" in collected_static.output
    assert "VERCEL_ENV=preview: migrations skipped" in collected_static.output

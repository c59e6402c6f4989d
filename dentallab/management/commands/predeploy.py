"""`manage.py predeploy`: the release step, run once before a new version takes traffic.

1. `check --deploy` with the production environment: refuses a bad configuration.
2. `makemigrations --check`: refuses code whose models have no migration.
3. The migration plan: prints what is unapplied, applies it (`migrate`), or with `--check` only
   reports it and fails when something is pending.
4. `migrate --check`: confirms the schema matches the code (what /api/health also checks).

Migrations go over DIRECT_DATABASE_URL when it is set (Neon's unpooled URL), with no statement
timeout but a lock timeout, so that a migration waiting behind a long transaction gives up instead
of queueing every request behind its lock.
"""

from urllib.parse import urlsplit

import dj_database_url
from django.conf import settings
from django.core.management import CommandError, call_command
from django.core.management.base import BaseCommand
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def use_direct_database(url: str) -> str:
    """Point the default connection at the unpooled URL for the rest of this process."""
    direct = dj_database_url.parse(url, conn_max_age=0)
    if direct["ENGINE"] == "django.db.backends.postgresql":
        lock_timeout = settings.DATABASE_MIGRATION_LOCK_TIMEOUT_MS
        direct["OPTIONS"] = {
            **direct.get("OPTIONS", {}),
            "connect_timeout": settings.DATABASE_CONNECT_TIMEOUT * 3,
            "options": f"-c statement_timeout=0 -c lock_timeout={lock_timeout}",
        }
    connection = connections[DEFAULT_DB_ALIAS]
    connection.close()
    connection.settings_dict.update(direct)
    connection.settings_dict["DISABLE_SERVER_SIDE_CURSORS"] = False
    return direct.get("HOST") or direct.get("NAME")


def pending_migrations() -> list[str]:
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    return [
        f"{migration.app_label}.{migration.name}{' (rollback)' if backwards else ''}" for migration, backwards in plan
    ]


class Command(BaseCommand):
    help = "Release step: check --deploy, makemigrations --check, migrate (over DIRECT_DATABASE_URL), migrate --check."
    requires_system_checks = []  # step 1 runs them, with --deploy, and reports them as a step

    def add_arguments(self, parser):
        parser.add_argument(
            "--check", action="store_true", help="Only report unapplied migrations (exit 1 if any); change nothing."
        )
        parser.add_argument("--skip-deploy-checks", action="store_true", help="Skip `check --deploy` (not advised).")

    def step(self, text):
        self.stdout.write(f"predeploy: {text}")

    def handle(self, *args, check=False, skip_deploy_checks=False, verbosity=1, **options):
        if settings.DIRECT_DATABASE_URL:
            host = use_direct_database(settings.DIRECT_DATABASE_URL)
            self.step(f"database: {host} (DIRECT_DATABASE_URL, unpooled)")
        else:
            database = connections[DEFAULT_DB_ALIAS].settings_dict
            self.step(f"database: {database.get('HOST') or database.get('NAME')} (DATABASE_URL)")

        if skip_deploy_checks:
            self.step("check --deploy: skipped")
        else:
            call_command("check", deploy=True, fail_level="WARNING", verbosity=0)
            self.step("check --deploy: no issues")

        try:
            call_command("makemigrations", check=True, dry_run=True, verbosity=0)
        except SystemExit as exc:
            raise CommandError("makemigrations --check: models have changes without a migration") from exc
        self.step("makemigrations --check: every model change has a migration")

        pending = pending_migrations()
        if not pending:
            self.step("migrate: nothing to apply, the schema is up to date")
        elif check:
            for name in pending:
                self.step(f"  unapplied: {name}")
            raise CommandError(f"migrate --check: {len(pending)} unapplied migration(s)")
        else:
            self.step(f"migrate: applying {len(pending)} migration(s): {', '.join(pending)}")
            call_command("migrate", interactive=False, verbosity=max(verbosity - 1, 0))

        if pending_migrations():
            raise CommandError("migrate --check: migrations are still unapplied")
        self.step("migrate --check: the schema matches the code")
        self.step(f"done ({urlsplit(settings.SITE_URL).netloc})")

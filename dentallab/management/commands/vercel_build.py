"""`manage.py vercel_build`: Vercel's build hook (`[tool.vercel.scripts] build` in pyproject.toml).

Vercel runs it after installing the dependencies and before it bundles the function:

- `collectstatic` into STATIC_ROOT, so that a broken static reference fails the build. (Vercel's
  Django support then collects again into its CDN folder and ships the manifest with the function.)
- Only for production deployments (VERCEL_ENV=production): the release step, `predeploy`, which
  migrates over DIRECT_DATABASE_URL. Previews never migrate: give them a database branch of their own.
"""

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Vercel build hook: collectstatic, then predeploy (migrations) when VERCEL_ENV=production."
    requires_system_checks = []

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=1)
        environment = settings.VERCEL_ENV
        if environment == "production":
            call_command("predeploy")
        else:
            self.stdout.write(
                f"vercel_build: VERCEL_ENV={environment or '(unset)'}: migrations skipped (production only)"
            )

"""Remove abandoned direct uploads: pending rows older than a day, their objects, and unfinished
multipart uploads (also those no row knows about). Run it daily (cron / a scheduled job)."""

import datetime

from django.core.management.base import BaseCommand

from files.services import cleanup_pending


class Command(BaseCommand):
    help = "Remove pending uploads older than a day (rows, objects, unfinished multipart uploads)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would be removed; change nothing.")
        parser.add_argument("--older-than-hours", type=float, default=24.0)

    def handle(self, *args, dry_run=False, older_than_hours=24.0, **options):
        report = cleanup_pending(older_than=datetime.timedelta(hours=older_than_hours), dry_run=dry_run)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(
            f"{verb} {report['rows']} pending upload(s) older than {older_than_hours:g} h: "
            f"{report['objects']} object(s), {report['multipart_aborted']} unfinished multipart upload(s), "
            f"and {report['orphan_multipart_aborted']} multipart upload(s) no file row knew about."
        )

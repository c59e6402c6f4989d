"""Remove statement objects that no case file row knows about: left behind when a move to shipped
wrote its statement and then rolled back (another receiver refused it, the process died). Such an
object was never served (downloads go through a row). Run it daily beside cleanup_uploads.
Objects younger than an hour are left alone: their move may still be committing."""

import datetime

from django.core.management.base import BaseCommand

from files.models import CaseFile
from traceability import storage


class Command(BaseCommand):
    help = "Remove statement PDFs in storage that no case file row refers to (rolled-back moves)."

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Report what would be removed; change nothing.")
        parser.add_argument("--older-than-minutes", type=float, default=60.0)

    def handle(self, *args, dry_run=False, older_than_minutes=60.0, **options):
        known = set(CaseFile.objects.filter(object_key__startswith=storage.PREFIX).values_list("object_key", flat=True))
        orphans = storage.orphans(known, older_than=datetime.timedelta(minutes=older_than_minutes))
        if not dry_run:
            for key in orphans:
                storage.delete(key)
        verb = "Would remove" if dry_run else "Removed"
        self.stdout.write(f"{verb} {len(orphans)} statement object(s) without a case file row.")

from django.core.management.base import BaseCommand

from dentallab.mail import queue_emails
from notifications.recap import weekly_recap_emails


class Command(BaseCommand):
    help = (
        "Queue this week's recap e-mail to every dentist with something to report (the periodic task "
        "does this on Fridays). --dry-run prints who would get what and queues nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("--dry-run", action="store_true", help="Show the e-mails; send nothing.")
        parser.add_argument("--show", type=int, default=1, help="With --dry-run: print this many e-mails in full.")

    def handle(self, *args, dry_run=False, show=1, **options):
        emails = weekly_recap_emails()
        if not dry_run:
            queue_emails(emails)
            self.stdout.write(self.style.SUCCESS(f"Queued {len(emails)} recap e-mail(s)."))
            return
        self.stdout.write(f"Dry run: {len(emails)} recap e-mail(s) would be sent; nothing was queued.")
        for email in emails:
            self.stdout.write(f"  {email['to']}: {email['subject']}")
        for email in emails[:show]:
            self.stdout.write(f"\n--- {email['to']} ---\nSubject: {email['subject']}\n\n{email['text']}")

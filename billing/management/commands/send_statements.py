from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from billing.statement_run import previous_month, run_monthly_statements, send_statements
from billing.statements import parse_month
from dentallab.exceptions import AppError


class Command(BaseCommand):
    help = "E-mail every active practice its statement of account for a month (default: last month)."

    def add_arguments(self, parser):
        parser.add_argument("--month", default="", help="YYYY-MM (default: the previous month)")
        parser.add_argument("--now", action="store_true", help="Queue the e-mails now instead of enqueuing the run")

    def handle(self, *args, month="", now=False, **options):
        try:
            start = parse_month(month) if month else previous_month(timezone.localdate())
        except AppError as exc:
            raise CommandError(exc.message) from None
        label = f"{start:%Y-%m}"
        if now:
            count = send_statements(start)
            self.stdout.write(f"Queued {count} statement e-mails for {label}.")
        else:
            run_monthly_statements.enqueue(label)
            self.stdout.write(f"Enqueued the statement run for {label}.")

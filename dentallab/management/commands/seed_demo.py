from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings

from accounts.demo import DEMO_PASSWORD, seed_accounts
from billing.demo import seed_billing
from cases.demo import seed_cases
from files.demo import seed_designs
from production.demo import seed_floor as seed_production_floor
from production.demo import seed_setup as seed_production
from shipping.demo import seed_shipping
from traceability.demo import seed_setup as seed_traceability
from traceability.demo import seed_usage as seed_lot_usage


class Command(BaseCommand):
    help = "Create or refresh the demo practices, accounts and data (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Run even with DEBUG off (never on a real lab's database)."
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError("Refusing to load demo data with DJANGO_DEBUG off. Use --force if you really mean it.")
        with transaction.atomic():
            users = seed_accounts()
            traceability = seed_traceability()
            production = seed_production(users)
            # The demo's designs are attached after the moves (files.demo): cases cannot import files.
            with override_settings(DESIGN_APPROVAL_REQUIRES_FILE=False):
                cases_seeded = seed_cases(users)
            seed_designs()
            shipping_seeded = seed_shipping()
            usages = seed_lot_usage(users)
            # Invoices first: the demo's shipments predate the QC checklist that the floor adds.
            billing_seeded = seed_billing(users)
            production.update(seed_production_floor(users))
        self.stdout.write(self.style.SUCCESS(f"Demo data ready: {len(users)} accounts, password {DEMO_PASSWORD!r}."))
        for user in users.values():
            self.stdout.write(f"  {user.get_role_display():<11} {user.email}")
        self.stdout.write(
            f"Price list: {cases_seeded['products']} products; demo cases created this run: {cases_seeded['cases']}."
        )
        self.stdout.write(
            f"Couriers: {shipping_seeded['couriers']}; shipments created this run: {shipping_seeded['shipments']}; "
            f"pickups: {shipping_seeded['pickups']}."
        )
        self.stdout.write(
            f"Traceability: {traceability['materials']} materials, {traceability['lots']} new lots, "
            f"{usages['usages']} lots recorded on open cases."
        )
        self.stdout.write(
            f"Production: {production['departments']} departments, {production['routings']} routings and "
            f"{production['qc_items']} QC items created this run."
        )
        self.stdout.write(
            f"Billing: {billing_seeded['invoices']} older invoices and {billing_seeded['payments']} payment created "
            "this run; see /billing/."
        )

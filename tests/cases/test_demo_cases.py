"""seed_demo's price list and cases: every status for both practices, with timelines; idempotent."""

import pytest
from django.core.management import call_command

from cases.models import Case, CaseItem, EventKind, Product, Status, TimelineEvent
from cases.teeth import validate_teeth

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)


def test_demo_cases_cover_every_status_for_both_practices(seeded):
    by_practice = {}
    for practice, status in Case.objects.values_list("practice__name", "status"):
        by_practice.setdefault(practice, set()).add(status)
    assert set(by_practice) == {"Bright Smile Dental", "Riverside Family Dentistry"}
    for statuses in by_practice.values():
        assert statuses == set(Status.values)


def test_demo_data_has_rush_late_notes_timelines_and_a_remake(seeded):
    assert Case.objects.filter(priority="rush").exclude(status__in=("shipped", "delivered", "cancelled")).exists()
    assert Case.objects.late().count() >= 3
    assert TimelineEvent.objects.filter(kind=EventKind.NOTE, internal=True).exists()
    assert TimelineEvent.objects.filter(kind=EventKind.NOTE, internal=False).exists()
    assert Case.objects.filter(remake_of__isnull=False).exclude(remake_reason="").exists()
    for case in Case.objects.exclude(status=Status.DRAFT).filter(remake_of__isnull=True):
        assert case.events.filter(kind=EventKind.STATUS).exists()
    for item in CaseItem.objects.all():
        assert validate_teeth(item.teeth) == item.teeth


def test_the_price_list_is_realistic(seeded):
    names = " ".join(Product.objects.values_list("name", flat=True)).lower()
    for word in ("zirconia", "e.max", "pfm", "bridge", "implant", "abutment", "veneer", "inlay", "denture",
                 "night guard", "aligner", "study models"):  # fmt: skip
        assert word in names, word
    assert Product.objects.count() >= 30
    assert set(Product.objects.values_list("category", flat=True)) == {
        "crown_bridge", "implant", "removable", "orthodontic", "other",
    }  # fmt: skip


def test_seeding_twice_creates_no_duplicates(seeded):
    counts = (Case.objects.count(), Product.objects.count(), TimelineEvent.objects.count())
    call_command("seed_demo", verbosity=0)
    assert (Case.objects.count(), Product.objects.count(), TimelineEvent.objects.count()) == counts

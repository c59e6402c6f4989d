"""Cases' answers to other parts of the project changing a date's inputs: a practice's transit
days (accounts) and the lab's closed days (workcalendar) move open cases' ship-by dates at once."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from accounts.models import Practice
from workcalendar.signals import closed_days_changed


@receiver(post_save, sender=Practice, dispatch_uid="cases-ship-by-on-transit")
def practice_saved(sender, instance, created, **kwargs):
    if created or kwargs.get("raw"):
        return
    from cases.models import Case
    from cases.services import recompute_ship_by

    recompute_ship_by(Case.objects.filter(practice=instance))


@receiver(closed_days_changed, dispatch_uid="cases-ship-by-on-closed-day")
def closed_day_changed(sender, day, **kwargs):
    from cases.models import Case
    from cases.services import recompute_ship_by

    recompute_ship_by(Case.objects.filter(due_date__gte=day))

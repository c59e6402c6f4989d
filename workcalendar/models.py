"""Days the lab is closed on top of weekends and public holidays (DESIGN §12)."""

from django.conf import settings
from django.db import models


class ClosedDay(models.Model):
    """A day the lab does not work (stocktaking, staff training, a local holiday), with a reason."""

    date = models.DateField(unique=True)
    reason = models.CharField(max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date.isoformat()}: {self.reason}"

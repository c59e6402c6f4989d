"""`closed_days_changed` is sent (inside the writing transaction) when a manager adds or removes a
closed day, with `day` the date: apps that store dates derived from the calendar (cases' ship-by)
recompute what it touches."""

from django.dispatch import Signal

closed_days_changed = Signal()

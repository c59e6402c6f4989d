"""The four roles (DESIGN §3). A module of its own so the policy and the models can both use it."""

from django.db import models


class Role(models.TextChoices):
    ADMIN = "admin", "Admin"
    MANAGER = "manager", "Manager"
    TECHNICIAN = "technician", "Technician"
    DENTIST = "dentist", "Dentist"


LAB_ROLES = (Role.ADMIN, Role.MANAGER, Role.TECHNICIAN)

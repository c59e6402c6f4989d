"""The regulatory region the lab's documents follow (`LAB_REGULATORY_REGION`: eu, uk or us;
settings.py refuses any other value)."""

from django.conf import settings


def current_region() -> str:
    return settings.LAB_REGULATORY_REGION

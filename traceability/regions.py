"""The regulatory region the lab's documents follow (`LAB_REGULATORY_REGION`: eu, uk or us)."""

from django.conf import settings

REGIONS = ("eu", "uk", "us")


def current_region() -> str:
    region = str(getattr(settings, "LAB_REGULATORY_REGION", "eu") or "eu").lower()
    return region if region in REGIONS else "eu"

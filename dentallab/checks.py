from django.conf import settings
from django.core.checks import Error, register

MIN_SECRET_KEY_LENGTH = 50


def secret_key_problem() -> str | None:
    """Why the configured secret key may not be used to serve, or None when it is fine."""
    if settings.DEBUG:
        return None
    if settings.SECRET_KEY == settings.INSECURE_DEV_SECRET_KEY:
        return "DJANGO_SECRET_KEY is not set. Set it to a random string of at least 50 characters."
    if len(settings.SECRET_KEY) < MIN_SECRET_KEY_LENGTH or len(set(settings.SECRET_KEY)) < 5:
        return "DJANGO_SECRET_KEY is too weak. Use a random string of at least 50 characters."
    return None


@register()
def check_secret_key(app_configs, **kwargs):
    problem = secret_key_problem()
    return [Error(problem, id="dentallab.E001")] if problem else []

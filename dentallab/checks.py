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


@register(deploy=True)
def check_direct_uploads_have_object_storage(app_configs, **kwargs):
    """Direct-to-R2 uploads (required on Vercel) need R2: a serverless disk is read-only and not shared."""
    if settings.UPLOADS_DIRECT_ONLY and not settings.R2_BUCKET_NAME:
        return [
            Error(
                "UPLOADS_DIRECT_ONLY is on (it is by default on Vercel) but R2_BUCKET_NAME is not set.",
                hint="Set R2_BUCKET_NAME, R2_ENDPOINT, R2_ACCESS_KEY_ID and R2_SECRET_ACCESS_KEY.",
                id="dentallab.E002",
            )
        ]
    return []

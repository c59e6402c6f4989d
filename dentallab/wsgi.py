import os

from django.core.exceptions import ImproperlyConfigured
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dentallab.settings")

application = get_wsgi_application()

from dentallab.checks import secret_key_problem  # noqa: E402  (needs configured settings)

if problem := secret_key_problem():
    raise ImproperlyConfigured(f"DentalLab refuses to start: {problem}")

app = application  # Vercel's Python runtime looks for `app`

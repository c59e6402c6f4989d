# DentalLab production image: gunicorn behind your load balancer / reverse proxy (docs/deployment.md).
#   docker build --build-arg APP_GIT_SHA=$(git rev-parse HEAD) -t dentallab .
#   docker run --rm --env-file prod.env dentallab python manage.py predeploy   # release step: migrations
#   docker run -d --env-file prod.env -p 8000:8000 dentallab                   # then the new version
#   docker run -d --env-file prod.env dentallab python manage.py db_worker --queue-name=* --interval=1 --no-reload
#                                          # the task worker: a second process type of the same image (Procfile)
FROM python:3.12-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PORT=8000

WORKDIR /app

# Dependencies in their own layer: rebuilt only when requirements.txt changes. Every pin ships a
# manylinux wheel (psycopg[binary], argon2-cffi), so no compiler is needed.
COPY requirements.txt .
RUN pip install -r requirements.txt

# The app runs as an unprivileged user that cannot change its own code.
RUN groupadd --system --gid 10001 dentallab \
 && useradd --system --uid 10001 --gid dentallab --home-dir /app --no-create-home --shell /usr/sbin/nologin dentallab

COPY . .

# Static files are collected and compressed once, at build time (whitenoise serves them). The
# secret key below only lets settings load for this step; it is not in the image's environment,
# and the app refuses to serve without a real DJANGO_SECRET_KEY.
RUN DJANGO_SECRET_KEY=collectstatic-build-only-not-a-runtime-secret python manage.py collectstatic --noinput \
 && mkdir -p /app/media && chown dentallab:dentallab /app/media

ARG APP_GIT_SHA=""
ENV APP_GIT_SHA=${APP_GIT_SHA}

USER dentallab
EXPOSE 8000

HEALTHCHECK --interval=30s --timeout=10s --start-period=30s --retries=3 \
  CMD ["python", "-m", "dentallab.healthcheck"]

# No migrations here: they run once, as the release step above, before the new version takes traffic.
CMD ["gunicorn", "--config", "gunicorn.conf.py", "dentallab.wsgi"]

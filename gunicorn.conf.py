"""Gunicorn settings shared by the Docker image (CMD) and the tests that run that same command.

The workload: server-rendered pages and a JSON API that mostly wait on PostgreSQL (Neon, over the
network) and sign R2 URLs; file bytes go from the browser straight to R2, so no request streams a
big body through the app. Threads suit waiting on I/O and cost far less memory than processes:

- 2 worker processes (WEB_CONCURRENCY): one can crash or recycle while the other serves; each is
  about 75 MB resident (measured; docs/operations.md).
- 4 threads each (GUNICORN_THREADS, gthread worker): 8 requests in flight per container. Each
  thread holds at most one database connection (CONN_MAX_AGE), so a container needs at most
  WEB_CONCURRENCY x GUNICORN_THREADS connections.
- timeout 30 s (GUNICORN_TIMEOUT): a worker whose main loop stops answering for 30 s is killed
  and replaced; PostgreSQL cancels statements after 30 s too (DATABASE_STATEMENT_TIMEOUT_MS).
- graceful_timeout 30 s: a deploy or scale-in lets requests in flight finish.
- keepalive 5 s: behind a load balancer that reuses connections; raise it above the balancer's
  idle timeout if it reports 502s on reused connections.
- max_requests 1000 (+ jitter): workers are recycled now and then, so a slow leak cannot grow.
"""

import os

from dentallab.observability import logging_config

bind = f"0.0.0.0:{os.environ.get('PORT', '8000')}"
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
worker_class = "gthread"
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = int(os.environ.get("GUNICORN_GRACEFUL_TIMEOUT", "30"))
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
max_requests = int(os.environ.get("GUNICORN_MAX_REQUESTS", "1000"))
max_requests_jitter = 100

# The heartbeat file on a tmpfs: on overlay filesystems a blocked write can get a healthy worker killed.
if os.path.isdir("/dev/shm"):  # noqa: S108 — a fixed tmpfs, not a shared temp file
    worker_tmp_dir = "/dev/shm"  # noqa: S108
# No control socket: it would be created under the home directory, which the image keeps read-only.
control_socket_disable = True

# Gunicorn's own lines in the app's JSON format; Django's middleware writes the access lines
# (without query strings), so gunicorn's access log stays off.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
logconfig_dict = logging_config(
    level=os.environ.get("LOG_LEVEL", "INFO").upper(), log_format=os.environ.get("LOG_FORMAT", "json")
)

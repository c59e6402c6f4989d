"""`python -m dentallab.healthcheck`: the container's HEALTHCHECK (the slim image has no curl).

Asks the local gunicorn for /api/health with the public host name (ALLOWED_HOSTS refuses any
other) and exits 0 only on HTTP 200. Needs nothing but the standard library: it must not load
Django or open a database connection of its own.
"""

import os
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit


def main() -> int:
    port = os.environ.get("PORT", "8000")
    host = urlsplit(os.environ.get("SITE_URL", "http://127.0.0.1:8000")).netloc
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/health",
        headers={"Host": host, "X-Forwarded-Proto": "https", "User-Agent": "dentallab-healthcheck"},
    )
    try:
        with urllib.request.urlopen(request, timeout=float(os.environ.get("HEALTHCHECK_TIMEOUT", "8"))) as response:  # noqa: S310 — loopback only
            status = response.status
    except urllib.error.HTTPError as exc:
        status = exc.code
    except OSError as exc:
        print(f"health check failed: {type(exc).__name__}", file=sys.stderr)
        return 1
    print(f"health check: HTTP {status}")
    return 0 if status == 200 else 1


if __name__ == "__main__":
    sys.exit(main())

"""Plain HTTP to the S3 server, the way a browser would send it (no boto3 on this side)."""

import http.client
from urllib.parse import urlsplit


def put(url: str, body, *, headers: dict | None = None, length: int | None = None):
    """PUT bytes or an iterable of chunks (streamed: never joined in memory). Returns
    (status, headers, body)."""
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    path = parts.path + ("?" + parts.query if parts.query else "")
    all_headers = dict(headers or {})
    all_headers["Content-Length"] = str(length if length is not None else len(body))
    try:
        connection.request("PUT", path, body=body, headers=all_headers)
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()


def get(url: str, headers: dict | None = None):
    parts = urlsplit(url)
    connection = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        connection.request("GET", parts.path + ("?" + parts.query if parts.query else ""), headers=headers or {})
        response = connection.getresponse()
        return response.status, {k.lower(): v for k, v in response.getheaders()}, response.read()
    finally:
        connection.close()

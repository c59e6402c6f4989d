"""`reverse_once(name)`: the path of a URL that takes no arguments, reversed once per process.

Headers, dashboards and lists link to the same few pages many times a request, and each
`reverse()` costs ~25 µs of CPU. The result depends only on the URLconf and the script prefix
(both read by `reverse()` itself), so it is remembered under those.
"""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=256)
def _reverse(viewname: str, urlconf: str | None, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf)


def reverse_once(viewname: str) -> str:
    return _reverse(viewname, get_urlconf(), get_script_prefix())

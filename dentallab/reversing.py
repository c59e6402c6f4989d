"""URLs that pages repeat, reversed once per process.

Headers, dashboards and lists link to the same few pages many times a request, and each
`reverse()` costs ~25 µs of CPU. The result depends only on the URLconf and the script prefix
(both read by `reverse()` itself), so it is remembered under those.

- `reverse_once(name)`: the path of a URL that takes no arguments.
- `url_pattern(name)`: the path of a URL that takes one id, as a `str.format` pattern
  ("/cases/{}/"), for a list whose every row links to its own object.
"""

import functools

from django.urls import get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=256)
def _reverse(viewname: str, urlconf: str | None, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf)


def reverse_once(viewname: str) -> str:
    return _reverse(viewname, get_urlconf(), get_script_prefix())


_ID_MARK = 918273645  # an id no row has, replaced by "{}" once reversed


@functools.lru_cache(maxsize=256)
def _pattern(viewname: str, urlconf: str | None, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf, args=[_ID_MARK]).replace(str(_ID_MARK), "{}")


def url_pattern(viewname: str) -> str:
    return _pattern(viewname, get_urlconf(), get_script_prefix())

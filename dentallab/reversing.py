"""URLs that pages repeat, reversed once per process.

Headers, dashboards and lists link to the same few pages many times a request, and each
`reverse()` costs ~25 µs of CPU. The result depends only on the URLconf and the script prefix
(both read by `reverse()` itself), so it is remembered under those.

- `reverse_once(name)`: the path of a URL that takes no arguments.
- `url_pattern(name)`: the path of a URL that takes one id, as a `str.format` pattern
  ("/cases/{}/"), for a list whose every row links to its own object.
- `reverse_cached(name, args)`: either of the two when it gives reverse()'s own answer, else
  None; what the templates' `{% url %}` uses (dentallab/templatetags/urls.py).
"""

import functools

from django.conf import settings
from django.urls import NoReverseMatch, get_resolver, get_script_prefix, get_urlconf, reverse


@functools.lru_cache(maxsize=256)
def _reverse(viewname: str, urlconf: str | None, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf)


def _urlconf():
    # The URLconf reverse() uses: this request's, else the settings' (which tests may change).
    return get_urlconf() or settings.ROOT_URLCONF


def reverse_once(viewname: str) -> str:
    return _reverse(viewname, _urlconf(), get_script_prefix())


_ID_MARK = 918273645  # an id no row has, replaced by "{}" once reversed


@functools.lru_cache(maxsize=256)
def _pattern(viewname: str, urlconf: str | None, prefix: str) -> str:
    return reverse(viewname, urlconf=urlconf, args=[_ID_MARK]).replace(str(_ID_MARK), "{}")


def url_pattern(viewname: str) -> str:
    return _pattern(viewname, _urlconf(), get_script_prefix())


def _walk_app_namespaces(resolver):
    yield from resolver.app_dict.values()
    for entry in resolver.url_patterns:
        if hasattr(entry, "url_patterns"):
            yield from _walk_app_namespaces(entry)


@functools.lru_cache(maxsize=16)
def _one_instance_per_app(urlconf: str | None) -> bool:
    """Whether every application namespace of the URLconf is included once: then `current_app`
    cannot change what `reverse()` answers."""
    return all(len(set(instances)) <= 1 for instances in _walk_app_namespaces(get_resolver(urlconf)))


def reverse_cached(viewname: str, args: tuple = ()) -> str | None:
    """reverse(viewname, args=args) from the patterns above when the answer cannot differ from
    reverse()'s: no argument, or one non-negative int (an id), in a URLconf where `current_app`
    chooses nothing. None when it may differ (the caller reverses): other arguments, a URL that
    refuses an int, or an ambiguous URLconf."""
    urlconf = _urlconf()
    if len(args) > 1 or not _one_instance_per_app(urlconf):
        return None
    prefix = get_script_prefix()
    try:
        if not args:
            return _reverse(viewname, urlconf, prefix)
        if type(args[0]) is not int or args[0] < 0:
            return None
        return _pattern(viewname, urlconf, prefix).format(args[0])
    except NoReverseMatch:
        return None

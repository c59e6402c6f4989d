"""The project's URL patterns, walked once for the tests that go over every URL (the access
matrix, the URLconf's round trip, the `{% url %}` tag)."""

import re

from django.urls import NoReverseMatch, URLPattern, URLResolver, reverse
from django.urls.resolvers import RoutePattern

# A value for each URL parameter: the first of these its converter (or its regex) accepts.
SAMPLES = ("7", "csv", "practices", "cases", "abc")


def walk(patterns, namespace="", route="", skip_namespaces=()):
    """(name qualified by its namespaces or None, route, URLPattern) for every URL pattern."""
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace in skip_namespaces:
                continue
            prefix = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from walk(entry.url_patterns, prefix, route + str(entry.pattern), skip_namespaces)
        elif isinstance(entry, URLPattern):
            yield (f"{namespace}{entry.name}" if entry.name else None), route + str(entry.pattern), entry


def sample_path(name, pattern):
    """A path of the named URL, with a value each parameter accepts."""
    params = list(pattern.pattern.regex.groupindex)
    if isinstance(pattern.pattern, RoutePattern):  # path(): each parameter's converter says what it accepts
        converters = pattern.pattern.converters
        kwargs = {
            param: next(value for value in SAMPLES if re.fullmatch(converters[param].regex, value)) for param in params
        }
        return reverse(name, kwargs=kwargs)
    for value in SAMPLES:  # re_path() (DRF's routers, the admin): the first value it accepts
        try:
            return reverse(name, kwargs=dict.fromkeys(params, value))
        except NoReverseMatch:
            continue
    raise AssertionError(f"no sample value fits {name}")


def named_patterns(patterns):
    """[(qualified name, URLPattern)], sorted, one per name."""
    return sorted({name: pattern for name, _, pattern in walk(patterns) if name}.items())

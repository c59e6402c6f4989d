"""The URLconf: every named URL resolves back to itself (no pattern shadows another, whatever the
order of the includes), and the API's routes sit under one `api/` prefix."""

import re

import pytest
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, resolve, reverse
from django.urls.resolvers import RoutePattern

# A value for each URL parameter: the first of these its converter (or its regex) accepts.
SAMPLES = ("7", "csv", "practices", "cases", "abc")


def named_patterns(patterns, namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            inner = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from named_patterns(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def sample_path(name, pattern):
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


NAMED = sorted(dict(named_patterns(get_resolver().url_patterns)).items())


@pytest.mark.parametrize(("name", "pattern"), NAMED, ids=[name for name, _ in NAMED])
def test_every_named_url_resolves_to_itself(name, pattern):
    path = sample_path(name, pattern)
    match = resolve(path)
    assert match.view_name == name, f"{path} is answered by {match.view_name}, not {name}"


def test_the_api_is_one_include_and_its_busiest_routes_come_first():
    top = get_resolver().url_patterns
    api = [entry for entry in top if str(entry.pattern) == "api/"]
    assert len(api) == 1 and isinstance(api[0], URLResolver)
    assert resolve("/api/cases/").view_name == "api-case-list"
    first = api[0].url_patterns[0]
    assert first.urlconf_name.__name__ == "cases.api_urls"

"""The URLconf: every named URL resolves back to itself (no pattern shadows another, whatever the
order of the includes), and the API's routes sit under one `api/` prefix."""

import pytest
from django.urls import URLResolver, get_resolver, resolve

from tests.url_patterns import named_patterns, sample_path

NAMED = named_patterns(get_resolver().url_patterns)


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

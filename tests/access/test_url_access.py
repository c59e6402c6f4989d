"""Every URL answers every role as the access matrix says (tests/access_matrix.py), and no URL
exists without an entry there."""

import json

import pytest
from django.urls import get_resolver, reverse
from rest_framework_simplejwt.tokens import AccessToken

from tests import url_patterns
from tests.access_matrix import ACCESS, ROLES, UNCHECKED, World

# Django admin guards itself (is_staff, derived from the admin role; see test_django_admin.py).
SKIPPED_NAMESPACES = {"admin"}


def walk(patterns):
    """(name or None, route) for every URL pattern outside the skipped namespaces."""
    return [(name, route) for name, route, _ in url_patterns.walk(patterns, skip_namespaces=SKIPPED_NAMESPACES)]


def test_every_url_has_an_entry_in_the_access_matrix():
    urls = list(walk(get_resolver().url_patterns))
    unnamed = [route for name, route in urls if name is None and not route.startswith("static")]
    missing = sorted({name for name, _ in urls if name and name not in ACCESS and name not in UNCHECKED})
    assert not unnamed, f"give these URL patterns a name and an access entry: {unnamed}"
    assert not missing, f"add these URL names to tests/access_matrix.py (who may see them?): {missing}"


def test_the_access_matrix_names_only_urls_that_exist():
    names = {name for name, _ in walk(get_resolver().url_patterns) if name}
    assert not sorted(set(ACCESS) - names), "stale entries in tests/access_matrix.py"


CASES = [
    pytest.param(name, index, role, id=f"{name}[{index}]-{role}")
    for name, checks in ACCESS.items()
    for index in range(len(checks))
    for role in ROLES
]


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "index", "role"), CASES)
def test_access(client, name, index, role):
    check = ACCESS[name][index]
    world = World.build()
    url = reverse(name, kwargs=check.kwargs(world) if check.kwargs else None)
    user = world.users.get(role)
    data = check.data(world) if check.data else None
    options = {}
    if url.startswith("/api/"):
        if user is not None:
            options["HTTP_AUTHORIZATION"] = f"Bearer {AccessToken.for_user(user)}"
        if data is not None and check.method != "get":  # a GET's data is its query string
            data, options["content_type"] = json.dumps(data), "application/json"
    elif user is not None:
        client.force_login(user)
    response = (
        getattr(client, check.method)(url, data, **options)
        if data is not None
        else getattr(client, check.method)(url, **options)
    )
    assert response.status_code == check.expect[role], (
        f"{check.method.upper()} {url} as {role}: expected {check.expect[role]}, got {response.status_code}"
        + (f" ({check.note})" if check.note else "")
    )

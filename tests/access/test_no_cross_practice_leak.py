"""No data of one practice ever reaches another: every URL the app routes (pages and API, every
method that matters), requested by a dentist of ANOTHER practice with every object id of the
first practice's case, never answers with that case's data, never changes it, never 5xx.

Complements the per-role status matrix (tests/access_matrix.py on the accounts branch): this
walker checks the bodies, so a view that answers 200 with someone else's data cannot hide.
"""

import re

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from cases.models import Case, EventKind, TimelineEvent
from tests.factories import CaseFactory, CaseItemFactory, DentistFactory

pytestmark = pytest.mark.django_db

CANARIES = ("Leakcanary Patient", "LEAKPAN9", "Leakcanary instructions", "Leakcanary shared note")
# logout would end the intruder's session and make every later request trivially anonymous.
SKIP_PREFIXES = ("admin/", "static/", "media/", "api/schema", "api/docs", "__debug__", "logout/", "api/auth/logout/")


def routes(patterns=None, prefix=""):
    """Every routed path as a template: "cases/<pk>/", "api/cases/<pk>/notes/"."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        if isinstance(entry, URLResolver):
            yield from routes(entry.url_patterns, prefix + _template(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + _template(entry.pattern)


def _template(pattern) -> str:
    text = str(pattern)
    if hasattr(pattern, "regex") and text.startswith("^"):  # regex routes (DRF routers)
        text = re.sub(r"\(\?P<(\w+)>[^)]*\)", r"<\1>", text.lstrip("^").rstrip("$"))
        text = text.replace("\\.", ".")
    return re.sub(r"<(?:\w+:)?(\w+)>", r"<\1>", text)


@pytest.fixture
def world():
    owner = DentistFactory()
    case = CaseFactory(
        dentist=owner,
        patient_name=CANARIES[0],
        pan_number=CANARIES[1],
        instructions=CANARIES[2],
        status="submitted",
    )
    item = CaseItemFactory(case=case)
    note = TimelineEvent.objects.create(case=case, kind=EventKind.NOTE, body=CANARIES[3], actor=owner)
    intruder = DentistFactory()  # another practice
    client = Client(raise_request_exception=False)
    client.force_login(intruder)
    ids = {case.pk, item.pk, note.pk, owner.pk, owner.practice_id}
    client.owner = owner
    return case, client, ids


def concrete_urls(ids):
    for template in sorted(set(routes())):
        if template.startswith(SKIP_PREFIXES):
            continue
        names = re.findall(r"<(\w+)>", template)
        if not names:
            yield "/" + template
            continue
        for value in sorted(ids):
            url = template
            for name in names:
                url = url.replace(f"<{name}>", str(value))
            yield "/" + url


def test_the_walker_finds_the_case_urls():
    found = set(routes())
    assert len(found) > 20
    assert "cases/<pk>/" in found and "api/cases/<pk>/" in found and "api/cases/<pk>/notes/" in found


def test_a_dentist_of_another_practice_never_sees_or_changes_a_case_through_any_url(world):
    case, intruder, ids = world
    before = (case.status, case.events.count(), Case.objects.count())
    problems = []
    for url in concrete_urls(ids):
        for method in ("get", "post", "patch", "delete"):
            kwargs = {"data": "{}", "content_type": "application/json"} if method != "get" else {}
            response = getattr(intruder, method)(url, **kwargs)
            body = response.content.decode(errors="replace")
            if response.status_code >= 500:
                problems.append(f"{method.upper()} {url}: {response.status_code}")
            leaked = [canary for canary in CANARIES if canary in body]
            if leaked:
                problems.append(f"{method.upper()} {url}: {response.status_code} shows {leaked}")
    # Searches echo the term back into the search box, so look for the case itself, not the term
    # (and prove the check can see it: the owner's search does list the case).
    owner = Client()
    owner.force_login(intruder.owner)
    assert f'href="/cases/{case.pk}/"' in owner.get("/cases/", {"search": "LEAKPAN9"}).content.decode()
    assert owner.get("/api/cases/", {"search": "LEAKPAN9"}).json()["count"] == 1
    for term in ("Leakcanary", case.number, "LEAKPAN9"):
        api = intruder.get("/api/cases/", {"search": term}).json()
        if api["count"] or any(result["id"] == case.pk for result in api["results"]):
            problems.append(f"/api/cases/?search={term} finds the other practice's case")
        page = intruder.get("/cases/", {"search": term}).content.decode()
        if f'href="/cases/{case.pk}/"' in page or CANARIES[2] in page:
            problems.append(f"/cases/?search={term} lists the other practice's case")
        export = intruder.get("/cases/export.csv", {"search": term}).content.decode()
        if any(canary in export for canary in (*CANARIES, case.number)):
            problems.append(f"/cases/export.csv?search={term} exports the other practice's case")
    assert intruder.get("/", follow=False).status_code == 200  # still signed in: the walk was as the intruder
    case.refresh_from_db()
    assert (case.status, case.events.count(), Case.objects.count()) == before
    assert not problems, "\n".join(problems)

"""Hostile input gets a clear 4xx (JSON naming the field under /api/), never a 5xx, and nothing
half-saved; what people typed is shown escaped, never executed."""

import json

import pytest
from django.test import Client

from cases.models import Case, EventKind, TimelineEvent
from tests.factories import CaseFactory, CaseItemFactory, DentistFactory, ManagerFactory, ProductFactory

pytestmark = pytest.mark.django_db

SCRIPT = "<script>alert('x')</script>"
SQL = "'; DROP TABLE cases_case; --"
CONTROL = "chart\u0007\u001b[31m\u202e\u200b#7 \U0001f9b7 Zoë 王"


@pytest.fixture
def manager():
    client = Client(raise_request_exception=False)
    client.force_login(ManagerFactory())
    return client


@pytest.fixture
def case():
    case = CaseFactory(status="submitted")
    CaseItemFactory(case=case)
    return case


def message(response) -> str:
    """The API error's sentence, in either shape the branches use ("detail" on main, "message")."""
    body = response.json()
    return body.get("detail") or body.get("message") or ""


def post_json(client, url, payload, method="post"):
    body = payload if isinstance(payload, (bytes, str)) else json.dumps(payload)
    return getattr(client, method)(url, data=body, content_type="application/json")


def test_an_oversized_json_body_is_refused_with_a_4xx_and_nothing_saved(manager, case, settings):
    notes_before = TimelineEvent.objects.filter(kind=EventKind.NOTE).count()
    body = json.dumps({"body": "x" * (settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 10)})
    response = post_json(manager, f"/api/cases/{case.pk}/notes/", body)
    assert 400 <= response.status_code < 500
    assert response["Content-Type"] == "application/json"
    assert TimelineEvent.objects.filter(kind=EventKind.NOTE).count() == notes_before


def test_deeply_nested_json_is_a_400_not_a_crash(manager, case):
    depth = 100_000
    response = post_json(manager, f"/api/cases/{case.pk}/notes/", "[" * depth + "]" * depth)
    assert response.status_code == 400
    assert message(response)
    nested = '{"body": ' + "[" * depth + "]" * depth + "}"
    assert post_json(manager, f"/api/cases/{case.pk}/notes/", nested).status_code == 400


def test_malformed_json_is_a_400_with_a_message(manager, case):
    response = post_json(manager, f"/api/cases/{case.pk}/notes/", '{"body": "unterminated')
    assert response.status_code == 400
    assert message(response)


@pytest.mark.parametrize(
    ("query", "expected_size"),
    [("page_size=100000000", 100), ("page_size=-5", 25), ("page_size=abc", 25), ("page_size=0", 25)],
)
def test_huge_or_silly_page_sizes_are_capped(manager, query, expected_size):
    dentist = DentistFactory()
    CaseFactory.create_batch(130, dentist=dentist)
    response = manager.get(f"/api/cases/?{query}")
    assert response.status_code == 200
    assert len(response.json()["results"]) == expected_size


@pytest.mark.parametrize("page", ["99999999", "-1", "abc", "9" * 400])
def test_a_page_past_the_end_is_a_404_json_not_a_crash(manager, page):
    CaseFactory.create_batch(3)
    response = manager.get(f"/api/cases/?page={page}")
    assert response.status_code == 404
    assert message(response)


@pytest.mark.parametrize("text", [CONTROL, SCRIPT, SQL, "a\u0000b"])
@pytest.mark.parametrize("field", ["patient_name", "pan_number", "shade", "instructions", "tracking_number"])
def test_every_case_text_field_takes_unicode_and_refuses_nul_cleanly(manager, case, field, text):
    response = post_json(manager, f"/api/cases/{case.pk}/", {field: text[:20]}, method="patch")
    assert response.status_code < 500, response.content
    stored = getattr(Case.objects.get(pk=case.pk), field)
    if "\u0000" in text:
        assert response.status_code == 400
        assert field in response.json()["errors"]
        assert "\u0000" not in stored
    elif response.status_code == 200:
        assert stored == text[:20]
    else:  # refused on purpose (e.g. a shade that is not a shade): named, and nothing saved
        assert field in response.json()["errors"]


@pytest.mark.parametrize("text", [CONTROL, SCRIPT, SQL, "a\u0000b", "x" * 6000])
def test_notes_and_move_reasons_take_unicode_and_refuse_nul_or_huge_text_cleanly(manager, case, text):
    response = post_json(manager, f"/api/cases/{case.pk}/notes/", {"body": text})
    assert response.status_code in (201, 400), response.content
    if response.status_code == 201:
        assert TimelineEvent.objects.get(pk=response.json()["id"]).body == text.strip()
    response = post_json(manager, f"/api/cases/{case.pk}/transition/", {"to": "received", "note": text})
    assert response.status_code in (200, 400), response.content


@pytest.mark.parametrize("text", [CONTROL, SCRIPT, SQL, "a\u0000b", "%", "_", "\\"])
def test_search_and_filters_take_any_text(manager, text):
    CaseFactory(patient_name="Plain")
    assert manager.get("/api/cases/", {"search": text}).status_code in (200, 400)
    assert manager.get("/api/cases/", {"status": text, "practice": text, "due_before": text}).status_code == 400
    page = manager.get("/cases/", {"search": text})
    assert page.status_code in (200, 400)  # 400: the list page with the error next to the field
    assert 'name="search"' in page.content.decode()


def test_creating_a_case_with_hostile_text_stores_it_verbatim(manager):
    dentist = DentistFactory()
    product = ProductFactory()
    payload = {
        "practice": dentist.practice_id,
        "dentist": dentist.pk,
        "patient_name": SCRIPT,
        "instructions": f"{SQL}\n{CONTROL}",
        "items": [{"product": product.pk, "teeth": [11]}],
    }
    response = post_json(manager, "/api/cases/", payload)
    assert response.status_code == 201, response.content
    case = Case.objects.get(pk=response.json()["id"])
    assert (case.patient_name, case.instructions) == (SCRIPT, f"{SQL}\n{CONTROL}")
    assert Case.objects.count() >= 1  # the DROP TABLE did nothing


def test_injection_strings_are_shown_escaped_on_the_pages(manager):
    case = CaseFactory(patient_name=SCRIPT, instructions=f"{SCRIPT} {SQL}", pan_number="<b>P1</b>")
    CaseItemFactory(case=case)
    TimelineEvent.objects.create(case=case, kind=EventKind.NOTE, body=SCRIPT)
    for url in (f"/cases/{case.pk}/", "/cases/", f"/cases/?search={SCRIPT}", f"/cases/{case.pk}/ticket/"):
        response = manager.get(url)
        assert response.status_code == 200, url
        html = response.content.decode()
        assert SCRIPT not in html and "<b>P1</b>" not in html, url
    html = manager.get(f"/cases/{case.pk}/").content.decode()
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    assert "&#x27;; DROP TABLE cases_case; --" in html

"""OpenAPI schema at /api/schema/ and Swagger UI at /api/docs/, with assets served locally."""

import re

import pytest

from tests.factories import ManagerFactory

pytestmark = pytest.mark.django_db


def test_the_schema_describes_the_cases_api(client):
    response = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    paths = schema["paths"]
    for path in (
        "/api/cases/",
        "/api/cases/{id}/",
        "/api/cases/{id}/transition/",
        "/api/cases/{id}/notes/",
        "/api/cases/{id}/events/",
        "/api/products/",
        "/api/practices/",
    ):
        assert path in paths, sorted(paths)
    params = {param["name"] for param in paths["/api/cases/"]["get"]["parameters"]}
    assert {
        "status",
        "practice",
        "dentist",
        "priority",
        "due_before",
        "due_after",
        "late",
        "search",
        "ordering",
    } <= params
    assert {"page", "page_size"} <= params
    assert set(paths["/api/cases/{id}/"]) >= {"get", "patch"} and "put" not in paths["/api/cases/{id}/"]


def test_the_docs_page_loads_its_assets_from_this_server(client):
    client.force_login(ManagerFactory())
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<script>" not in html.replace(" ", "")  # no inline script (CSP): the split view
    assert "<style" not in html and "style=" not in html  # no inline styles either
    urls = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert urls
    assert all(url.startswith("/") for url in urls), urls  # nothing from a CDN
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_the_schema_validates_without_warnings(tmp_path):
    from django.core.management import call_command

    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert "/api/cases/{id}/transition/" in out.read_text()

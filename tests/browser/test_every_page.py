"""Every HTML page, for every role, on a phone, a tablet and a laptop (issue 15, DESIGN §16).

The pages are not listed here: the test walks the access matrix (tests/access_matrix.py), which
tests/access/test_url_access.py keeps complete against Django's URL registry. So a page another
app adds later is covered as soon as its access entry exists. For every URL name and role whose
entry answers a GET with 200, the page is opened in one browser context per role and:

- at 390, 820 and 1280 px: the page does not scroll sideways
  (`document.documentElement.scrollWidth <= innerWidth`) and its heading (the first <h1>, or
  the page's primary action, `[data-primary-action]`) is visible, inside the viewport's width;
- at 390 and 1280 px: axe-core (bundled in axe-playwright-python, nothing fetched) finds no
  violation of the WCAG 2.1 A/AA rules.

Only non-HTML answers (JSON, CSV, PDF, images) are skipped, by their Content-Type. Failures are
collected for every role and reported together, so one run shows every page's problems; the demo
data is made once for all roles (one test, one browser, one context per role).
"""

import os
import time
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from playwright.sync_api import Error as PlaywrightError

from tests.access_matrix import ACCESS, World
from tests.factories import CaseFactory, CaseItemFactory

WIDTHS = (390, 820, 1280)
AXE_WIDTHS = (390, 1280)
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}
# Rules switched off for one page, each with the reason. Only for markup we do not write.
RULE_EXCEPTIONS = {
    "api-docs": {
        # Swagger UI (vendored by drf-spectacular-sidecar) renders each operation's summary as a
        # <button> holding the copy-path button: upstream markup. Its colours are fixed in
        # static/css/api-docs.css; our header on that page is checked like every page.
        "nested-interactive",
    },
}
# UI_SCREENSHOTS=DIR: also save every page at 390 px (what docs/screenshots/ was made from).
SCREENSHOTS = os.environ.get("UI_SCREENSHOTS")
ROLES = ("anonymous", "admin", "manager", "technician", "dentist")

# Size, position and visibility of what a person must see first: the page's heading or primary
# action, and whether anything sticks out sideways.
MEASURE = """() => {
  const doc = document.documentElement;
  const target = document.querySelector('[data-primary-action]') || document.querySelector('main h1, h1');
  let heading = null;
  if (target) {
    const box = target.getBoundingClientRect();
    const style = getComputedStyle(target);
    heading = {
      text: target.textContent.trim().slice(0, 60),
      visible: box.width > 0 && box.height > 0 && style.visibility !== 'hidden',
      inside: box.left >= -1 && box.right <= window.innerWidth + 1,
    };
  }
  return {scrollWidth: doc.scrollWidth, innerWidth: window.innerWidth, heading};
}"""


def _urls_for(role: str, world: World) -> list[tuple[str, str, int]]:
    """(URL name, URL, status) of every GET entry that answers this role 200, one URL per name;
    then the error pages as this role sees them: a 404, and the first page refused with 403."""
    urls = []
    refused = None
    for name, checks in sorted(ACCESS.items()):
        for check in checks:
            if check.method == "get" and check.expect.get(role) == 403 and refused is None and not check.data:
                refused = (name, reverse(name, kwargs=check.kwargs(world) if check.kwargs else None), 403)
            if check.method != "get" or check.expect.get(role) != 200:
                continue
            url = reverse(name, kwargs=check.kwargs(world) if check.kwargs else None)
            if url.startswith("/api/") and not url.startswith("/api/docs"):
                break  # the JSON API: its pages are JSON (api_docs is HTML and walked)
            if check.data:
                from urllib.parse import urlencode

                url += "?" + urlencode(check.data(world), doseq=True)
            urls.append((name, url, 200))
            break
    urls.append(("404 page", "/no-such-page/", 404))
    if refused and not refused[1].startswith("/api/"):
        urls.append(("403 page", refused[1], 403))
    return urls


@pytest.fixture
def world(transactional_db):
    """The access matrix's world, with the demo lab's data beside it so that lists have rows."""
    started = time.perf_counter()
    call_command("seed_demo", force=True, verbosity=0)
    print(f"demo data in {time.perf_counter() - started:.1f} s")
    world = World.build()
    dentist = world.users["dentist"]
    for status in ("draft", "submitted", "in_production", "on_hold", "shipped"):
        CaseItemFactory(case=CaseFactory(dentist=dentist, practice=world.practice, status=status))
    return world


def _sign_in(context, user, live_server):
    client = Client()
    client.force_login(user)
    host = live_server.url.split("//", 1)[1].split(":")[0]
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "domain": host, "path": "/"}]
    )


def test_every_page_fits_every_screen_and_passes_axe(browser, live_server, world, request):
    """One test for all roles: the demo data is made once (it is most of the cost)."""
    request.node.add_marker(pytest.mark.browser)
    report, count = [], 0
    for role in ROLES:
        walked, problems = _walk(role, browser, live_server, world)
        count += len(walked)
        assert walked, f"no HTML page walked for {role}"
        report += [f"{role}: {problem}" for problem in problems]
    print(f"{count} pages walked for {len(ROLES)} roles")
    assert not report, f"{len(report)} problems:\n" + "\n".join(report)


def _walk(role, browser, live_server, world) -> tuple[list[str], list[str]]:
    context = browser.new_context(viewport={"width": 1280, "height": 860}, base_url=live_server.url)
    if role != "anonymous":
        _sign_in(context, world.users[role], live_server)
    page = context.new_page()
    page.set_default_timeout(15_000)
    js_errors = []
    page.on("pageerror", lambda exc: js_errors.append(str(exc)))
    # The browser's own complaints about the page (an unknown Permissions-Policy feature, a CSP
    # refusal) are defects too.
    page.on(
        "console",
        lambda message: (
            js_errors.append(message.text)
            if ("Unrecognized feature" in message.text or "Content Security Policy" in message.text)
            else None
        ),
    )
    axe = Axe()
    problems, walked = [], []
    timings = {"pages": 0.0, "axe": 0.0}
    try:
        for name, url, status in _urls_for(role, world):
            page.set_viewport_size({"width": 1280, "height": 860})
            started = time.perf_counter()
            try:
                response = page.goto(url)
                timings["pages"] += time.perf_counter() - started
            except PlaywrightError as exc:
                if "Download is starting" in str(exc):
                    continue  # an attachment (CSV, PDF): not a page
                raise
            content_type = (response.headers.get("content-type") or "") if response else ""
            if "text/html" not in content_type:
                continue
            if response.status != status:
                problems.append(f"{url} ({name}): HTTP {response.status}, expected {status}")
                continue
            if not response.text().lstrip()[:15].lower().startswith("<!doctype html"):
                continue  # an HTML fragment that htmx swaps into a page (the page is walked)
            walked.append(name)
            if page.locator("#swagger-ui").count():
                page.wait_for_selector(".opblock")  # Swagger UI draws the operations after load
            for width in WIDTHS:
                page.set_viewport_size({"width": width, "height": 860})
                seen = page.evaluate(MEASURE)
                if seen["scrollWidth"] > seen["innerWidth"]:
                    problems.append(f"{url} at {width}px: scrolls sideways ({seen['scrollWidth']}px wide)")
                heading = seen["heading"]
                if heading is None:
                    problems.append(f"{url} at {width}px: no <h1> or [data-primary-action]")
                elif not (heading["visible"] and heading["inside"]):
                    problems.append(f"{url} at {width}px: {heading['text']!r} not visible within the width")
                if SCREENSHOTS and width == WIDTHS[0]:
                    Path(SCREENSHOTS).mkdir(parents=True, exist_ok=True)
                    page.screenshot(path=f"{SCREENSHOTS}/{role}-{name.replace(':', '-')}.png", full_page=True)
                if width in AXE_WIDTHS:
                    started = time.perf_counter()
                    options = AXE_OPTIONS
                    if name in RULE_EXCEPTIONS:
                        options = {**options, "rules": {rule: {"enabled": False} for rule in RULE_EXCEPTIONS[name]}}
                    if not page.evaluate("() => typeof window.axe === 'object'"):
                        page.evaluate(axe.axe_script)  # once per page load, for both widths
                    violations = page.evaluate("options => axe.run(document, options)", options)["violations"]
                    timings["axe"] += time.perf_counter() - started
                    for violation in violations:
                        targets = [" ".join(node["target"]) for node in violation["nodes"][:3]]
                        problems.append(
                            f"{url} at {width}px: axe {violation['id']} ({violation['impact']}) on {targets}"
                        )
            if js_errors:
                problems.append(f"{url}: JavaScript errors {js_errors}")
                js_errors.clear()
    finally:
        context.close()
    print(f"{role}: {len(walked)} pages walked: {', '.join(walked)}")
    print(f"{role}: loading pages {timings['pages']:.1f} s, axe {timings['axe']:.1f} s")
    return walked, problems

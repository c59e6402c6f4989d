"""A dentist drops an STL and a photo on the case's files page and watches both progress bars reach
100%; a technician opens the page and the 3D viewer shows the model, centred. Once with local disk,
once straight to the S3 server (browser → moto, with the bucket CORS set by `cors_bucket --apply`)."""

import base64
import io
import json

import pytest
from django.core.management import call_command

from files.models import CaseFile
from tests.factories import TEST_PASSWORD, CaseFactory, DentistFactory, TechnicianFactory
from tests.files import samples
from tests.fixtures.browser import screenshot, sign_in

# Headless Chromium has no GPU here: WebGL needs the SwiftShader software renderer.

DROP = """
async ([selector, files]) => {
  const transfer = new DataTransfer();
  for (const file of files) {
    const bytes = Uint8Array.from(atob(file.data), (c) => c.charCodeAt(0));
    transfer.items.add(new File([bytes], file.name, { type: file.type }));
  }
  const zone = document.querySelector(selector);
  zone.dispatchEvent(new DragEvent("dragenter", { dataTransfer: transfer, bubbles: true }));
  zone.dispatchEvent(new DragEvent("drop", { dataTransfer: transfer, bubbles: true, cancelable: true }));
}
"""

# Where the model is drawn on the canvas: the bounding box of pixels that differ from the background.
MODEL_BOX = """
() => {
  const source = document.querySelector("[data-viewer-canvas]");
  const canvas = document.createElement("canvas");
  canvas.width = source.width; canvas.height = source.height;
  const context = canvas.getContext("2d");
  context.drawImage(source, 0, 0);
  const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
  const bg = [data[0], data[1], data[2]];
  let minX = width, minY = height, maxX = -1, maxY = -1, count = 0;
  for (let y = 0; y < height; y += 2) for (let x = 0; x < width; x += 2) {
    const i = (y * width + x) * 4;
    if (Math.abs(data[i] - bg[0]) + Math.abs(data[i + 1] - bg[1]) + Math.abs(data[i + 2] - bg[2]) > 24) {
      count++; minX = Math.min(minX, x); maxX = Math.max(maxX, x); minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    }
  }
  return { width, height, minX, maxX, minY, maxY, count };
}
"""


@pytest.fixture
def webgl_browser(browser):
    """The session's Chromium: its flags already enable software WebGL. (One Playwright per
    process: a second sync_playwright() inside the first fails.)"""
    return browser


@pytest.fixture
def new_page(webgl_browser, live_server, request):
    request.node.add_marker(pytest.mark.browser)
    contexts, errors = [], []

    def make(width=1280):
        context = webgl_browser.new_context(viewport={"width": width, "height": 900}, base_url=live_server.url)
        contexts.append(context)
        page = context.new_page()
        page.set_default_timeout(20_000)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        return page

    yield make
    for context in contexts:
        context.close()
    assert not errors, f"JavaScript errors on the page: {errors}"


@pytest.fixture
def people(transactional_db):
    dentist = DentistFactory(name="Dr. Sarah Smith", email="dr.smith@brightsmile.test")
    technician = TechnicianFactory(name="Tom Tech", email="tech@lab.test")
    case = CaseFactory(dentist=dentist, number="2026-00042")
    return dentist, technician, case


def payload(name, data, mime):
    return {"name": name, "data": base64.b64encode(data).decode(), "type": mime}


def view_model(tech, name):
    tech.get_by_test_id("file-row").filter(has_text=name).get_by_role("button", name="View 3D").click()
    viewer = tech.get_by_test_id("viewer")
    tech.wait_for_function(
        "([v, name]) => v.dataset.state === 'ready' && v.querySelector('[data-viewer-title]').textContent === name",
        arg=[viewer.element_handle(), name],
        timeout=30_000,
    )
    return viewer.locator("[data-viewer-stats]").inner_text()


def journey(new_page, people, label):
    dentist, technician, case = people
    crown = samples.crown_stl()
    page = new_page()
    sign_in(page, dentist.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{case.pk}/files/")
    assert page.get_by_role("heading", name=f"Files · {case.number}").is_visible()
    page.evaluate(
        DROP,
        [
            "[data-drop-zone]",
            [payload("Crown 36.stl", crown, ""), payload("Smile.png", samples.gradient_png(), "image/png")],
        ],
    )
    rows = page.get_by_test_id("upload-row")
    rows.nth(1).wait_for()
    for index in range(2):
        row = rows.nth(index)
        page.wait_for_function("(row) => row.dataset.state === 'done'", arg=row.element_handle(), timeout=30_000)
        assert row.get_by_role("progressbar").get_attribute("aria-valuenow") == "100"
        assert row.get_by_test_id("upload-status").inner_text() == "Uploaded"
    page.get_by_test_id("file-row").nth(1).wait_for()
    page.wait_for_timeout(700)  # the progress bars' width transition
    screenshot(page, f"files-uploaded-{label}")
    page.evaluate(DROP, ["[data-drop-zone]", [payload("notes.txt", b"hello", "text/plain")]])
    refused = rows.nth(2)
    assert refused.get_attribute("data-state") == "error"
    assert "not accepted" in refused.get_by_test_id("upload-status").inner_text()
    assert sorted(CaseFile.objects.values_list("original_name", "state")) == [
        ("Crown 36.stl", "available"),
        ("Smile.png", "available"),
    ]

    tech = new_page()
    sign_in(tech, technician.email, TEST_PASSWORD)
    tech.wait_for_url("**/")
    tech.goto(f"/cases/{case.pk}/files/")
    thumbnail = tech.locator("img.file-thumb")
    tech.wait_for_function("(img) => img.complete && img.naturalWidth > 0", arg=thumbnail.element_handle())
    tech.get_by_role("button", name="View 3D").click()
    viewer = tech.get_by_test_id("viewer")
    tech.wait_for_function("(v) => v.dataset.state === 'ready'", arg=viewer.element_handle(), timeout=30_000)
    stats = viewer.locator("[data-viewer-stats]").inner_text()
    triangles = (len(crown) - 84) // 50
    assert f"{triangles:,} triangles" in stats and "mm" in stats
    tech.wait_for_timeout(300)
    box = tech.evaluate(MODEL_BOX)
    assert box["count"] > 2000, f"the model is not visible: {box}"
    centre_x, centre_y = (box["minX"] + box["maxX"]) / 2, (box["minY"] + box["maxY"]) / 2
    assert abs(centre_x - box["width"] / 2) < box["width"] * 0.1, box
    assert abs(centre_y - box["height"] / 2) < box["height"] * 0.1, box
    viewer.scroll_into_view_if_needed()
    viewer.screenshot(path=str(screenshot(tech, f"files-viewer-{label}").with_name(f"files-viewer-{label}-stage.png")))
    tech.get_by_role("button", name="Reset view").click()
    tech.get_by_role("button", name="Close").click()
    tech.get_by_role("button", name="View 3D").click()  # a second look gets a fresh renderer
    tech.wait_for_function("(v) => v.dataset.state === 'ready'", arg=viewer.element_handle(), timeout=30_000)
    return tech


def test_on_local_disk_a_dentist_uploads_and_the_technician_views_the_model_in_3d(new_page, people):
    tech = journey(new_page, people, "local")
    _, _, case = people
    page = new_page()
    sign_in(page, people[0].email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{case.pk}/files/")
    page.evaluate(
        DROP, ["[data-drop-zone]", [payload("arch.ply", samples.PLY, ""), payload("tooth.obj", samples.OBJ, "")]]
    )
    page.get_by_test_id("file-row").nth(3).wait_for()
    tech.reload()
    assert "1 triangle ·" in view_model(tech, "arch.ply")
    assert "1 triangle ·" in view_model(tech, "tooth.obj")

    page.on("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("file-row").filter(has_text="tooth.obj").get_by_role("button", name="Delete").click()
    page.wait_for_function("() => document.querySelectorAll('[data-file-row]').length === 3")
    assert not CaseFile.objects.filter(original_name="tooth.obj", state="available").exists()


def test_straight_to_the_bucket_a_dentist_uploads_and_the_technician_views_the_model_in_3d(
    new_page, people, s3_bucket, live_server, settings
):
    settings.SITE_URL = live_server.url
    settings.FILE_MULTIPART_THRESHOLD = 100_000  # the crown goes up in parts, the photo in one PUT
    call_command("cors_bucket", "--apply", stdout=io.StringIO())
    failed = []
    original_new_page = new_page

    def flaky_page(*args, **kwargs):
        page = original_new_page(*args, **kwargs)

        def fail_first_part(route):
            if not failed:
                failed.append(route.request.url)
                route.abort("connectionreset")
            else:
                route.continue_()

        page.route("**/*partNumber=1*", fail_first_part)
        return page

    journey(flaky_page, people, "s3")
    assert failed, "the first part upload was not interrupted"  # …and the uploader retried it
    assert {
        key.split("/")[-1]
        for key in (o["Key"] for o in s3_bucket["client"].list_objects_v2(Bucket=s3_bucket["name"])["Contents"])
    } == {"Crown-36.stl", "Smile.png"}


def test_the_files_page_fits_a_tablet(new_page, people):
    dentist, _, case = people
    page = new_page(width=820)
    sign_in(page, dentist.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{case.pk}/files/")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    screenshot(page, "files-tablet")


def test_when_storage_fails_during_complete_the_uploader_completes_again(
    new_page, people, s3_bucket, live_server, settings
):
    """The app answers 503 when storage fails while it checks an upload, and keeps the upload
    pending: the uploader sends `complete` again instead of giving up."""
    settings.SITE_URL = live_server.url
    call_command("cors_bucket", "--apply", stdout=io.StringIO())
    dentist, _, case = people
    page = new_page()
    answered = []

    def storage_down_once(route):
        if not answered:
            answered.append(503)
            message = "File storage failed."
            body = {"message": message, "detail": message, "code": "service_unavailable", "errors": {}}
            route.fulfill(status=503, content_type="application/json", body=json.dumps(body))
        else:
            answered.append("sent")
            route.continue_()

    page.route("**/api/files/*/complete/", storage_down_once)
    sign_in(page, dentist.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto(f"/cases/{case.pk}/files/")
    page.evaluate(DROP, ["[data-drop-zone]", [payload("Crown 36.stl", samples.crown_stl(), "")]])
    row = page.get_by_test_id("upload-row").first
    page.wait_for_function("(row) => row.dataset.state === 'done'", arg=row.element_handle(), timeout=30_000)
    assert answered == [503, "sent"]
    assert list(CaseFile.objects.values_list("original_name", "state")) == [("Crown 36.stl", "available")]

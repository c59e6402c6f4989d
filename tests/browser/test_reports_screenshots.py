"""The reports page (manager) at laptop and phone width, and a dentist's scorecard on the
dashboard: screenshots under test-artifacts/ to look at; no sideways scrolling at 390 px."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from tests.factories import TEST_PASSWORD, ManagerFactory
from tests.fixtures.browser import screenshot, sign_in
from tests.reports.helpers import build_busy_weeks


def _floor_and_ledgers(practices, manager):
    """Open steps in three departments (production's section) and invoices, a credit note and a
    payment (billing's section)."""
    from billing import services
    from production.models import CaseStep, StepStatus
    from tests.billing.helpers import shipped_case
    from tests.production.helpers import floor, received_case

    lab = floor()
    for n in range(5):
        case = received_case(lab["product"], practice=practices[n % 2], actor=manager)
        if n % 2:
            CaseStep.objects.filter(case=case, name="Models").update(status=StepStatus.DONE)
            CaseStep.objects.filter(case=case, name="CAD design").update(status=StepStatus.IN_PROGRESS)
    for n, practice in enumerate(practices):
        invoice = shipped_case(practice, prices=(Decimal("120.00"), Decimal(40 * n + 80)), actor=manager).invoice
        if n == 1:
            services.issue_credit_note(invoice=invoice, amount="25.00", reason="Shade", actor=manager)
    services.record_payment(
        practice=practices[0], amount="150.00", received_on=timezone.localdate(), method="check", actor=manager
    )


@pytest.fixture
def lab(transactional_db):
    manager = ManagerFactory()
    busy = build_busy_weeks()
    _floor_and_ledgers(busy["practices"], manager)
    return {"manager": manager, **busy}


LISTEN = """
window.__csp = [];
document.addEventListener('securitypolicyviolation', e => window.__csp.push(e.violatedDirective + ' ' + e.blockedURI));
"""


def _no_sideways_scroll(page):
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")


def test_the_reports_page_reads_at_laptop_and_phone_width(page, lab):
    page.add_init_script(LISTEN)
    sign_in(page, lab["manager"].email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/reports/")
    assert page.locator("svg.report-chart").count() == 9  # with production's and billing's
    assert page.evaluate("window.__csp") == []  # SVG with presentation attributes: nothing the CSP blocks
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "reports-manager-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "reports-manager-390")
    _no_sideways_scroll(page)


def test_a_dentist_sees_their_scorecard_on_the_dashboard(page, lab):
    dentist = lab["dentists"][0]
    sign_in(page, dentist.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    panel = page.get_by_test_id("own-scorecard")
    assert "Bright Smile Dental" in panel.inner_text()
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "reports-dentist-dashboard-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "reports-dentist-dashboard-390")
    _no_sideways_scroll(page)


def test_the_import_page_shows_the_dry_run(page, lab, tmp_path):
    page.add_init_script(LISTEN)
    sign_in(page, lab["manager"].email, TEST_PASSWORD)
    page.wait_for_url("**/")
    page.goto("/import/")
    upload = tmp_path / "practices.csv"
    upload.write_text("account_number,name,email,notes\nACC-1,New Practice,a@b.test,x\nACC-2,,bad,y\n")
    page.get_by_label("CSV or XLSX file").set_input_files(str(upload))
    page.get_by_role("button", name="Check the file").click()
    dry_run = page.get_by_test_id("dry-run")
    assert "A practice needs a name." in dry_run.inner_text()
    assert page.evaluate("window.__csp") == []
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "dataio-import-dry-run-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "dataio-import-dry-run-390")
    _no_sideways_scroll(page)


def test_a_technician_sees_the_steps_they_finished_per_week(page, lab):
    from production.models import CaseStep, StepStatus

    technician = lab["techs"][0]
    steps = list(CaseStep.objects.all()[:4])
    for n, step in enumerate(steps):
        step.status, step.technician = StepStatus.DONE, technician
        step.finished_at = timezone.now() - datetime.timedelta(days=7 * n)
        step.save()
    sign_in(page, technician.email, TEST_PASSWORD)
    page.wait_for_url("**/")
    assert page.get_by_test_id("own-steps-chart").count() == 1
    page.set_viewport_size({"width": 1280, "height": 900})
    screenshot(page, "reports-technician-dashboard-1280")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot(page, "reports-technician-dashboard-390")
    _no_sideways_scroll(page)

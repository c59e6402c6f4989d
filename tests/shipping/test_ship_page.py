""" "Mark shipped" on the case page opens the ship form: courier, tracking, and the practice's other
QC-passed cases to ship together. The same rules as the API (they live in the service)."""

import re

import pytest

from cases.models import Case, Status

pytestmark = pytest.mark.django_db


def test_the_case_page_offers_mark_shipped_as_a_link_to_the_ship_form(client, lab):
    case = lab.case()
    client.force_login(lab.technician)
    html = client.get(f"/cases/{case.pk}/").content.decode()
    assert re.search(rf'<a class="btn btn-primary move" href="/shipping/ship/\?case={case.pk}">Mark shipped…</a>', html)
    # There is no form that would move it to shipped without a courier.
    assert 'name="to" value="shipped"' not in html


def test_the_form_offers_the_practices_other_qc_passed_cases_only(client, lab):
    case = lab.case(number="2026-00070")
    other = lab.case(number="2026-00071", pan_number="P-17")
    lab.case(number="2026-00072", status=Status.IN_PRODUCTION)
    lab.case(number="2026-00073", practice=lab.other_practice)
    client.force_login(lab.technician)
    response = client.get(f"/shipping/ship/?case={case.pk}")
    html = response.content.decode()
    assert response.status_code == 200
    assert list(response.context["form"].fields["cases"].queryset) == [case, other]
    assert f'value="{case.pk}" id="id_cases_0" checked' in html or re.search(rf'value="{case.pk}"[^>]*checked', html)
    assert "2026-00071" in html and "pan P-17" in html and "2026-00072" not in html and "2026-00073" not in html
    assert "12 Harbour Street" in html  # where it goes


def test_shipping_from_the_form_moves_the_chosen_cases_and_links_the_tracking(client, lab):
    case, other = lab.case(number="2026-00080"), lab.case(number="2026-00081")
    client.force_login(lab.technician)
    response = client.post(
        "/shipping/ship/",
        {"case": case.pk, "courier": lab.ups.pk, "tracking_number": "1Z999AA1", "cases": [case.pk, other.pk]},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    assert "Shipped 2 cases (2026-00080, 2026-00081) with UPS." in response.content.decode()
    assert [Case.objects.get(pk=c.pk).status for c in (case, other)] == [Status.SHIPPED, Status.SHIPPED]
    client.force_login(lab.dentist)
    html = client.get(f"/cases/{other.pk}/").content.decode()
    assert 'UPS · <a href="https://www.ups.com/track?tracknum=1Z999AA1"' in html


def test_errors_show_next_to_the_field_and_nothing_moves(client, lab):
    case = lab.case()
    client.force_login(lab.technician)
    response = client.post(
        "/shipping/ship/", {"case": case.pk, "courier": lab.ups.pk, "tracking_number": "1Z\x07", "cases": [case.pk]}
    )
    assert response.status_code == 200
    assert response.context["form"].errors["tracking_number"] == [
        "The tracking number contains control characters; type it again."
    ]
    response = client.post("/shipping/ship/", {"case": case.pk, "courier": lab.ups.pk, "tracking_number": "1Z"})
    assert response.context["form"].errors["cases"] == ["Choose at least one case to ship."]
    assert Case.objects.get(pk=case.pk).status == Status.QUALITY_CHECK


def test_a_case_moved_by_someone_else_meanwhile_is_named(client, lab):
    case, other = lab.case(number="2026-00090"), lab.case(number="2026-00091")
    client.force_login(lab.technician)
    Case.objects.filter(pk=other.pk).update(status=Status.IN_PRODUCTION)  # sent back for rework in between
    response = client.post(
        "/shipping/ship/",
        {"case": case.pk, "courier": lab.ups.pk, "tracking_number": "1Z", "cases": [case.pk, other.pk]},
    )
    # The form only offers QC-passed cases, so the stale choice is refused by the form itself.
    assert response.status_code == 200 and "cases" in response.context["form"].errors
    assert Case.objects.get(pk=case.pk).status == Status.QUALITY_CHECK


def test_a_case_not_in_quality_check_sends_you_back_with_a_message(client, lab):
    case = lab.case(status=Status.IN_PRODUCTION, number="2026-00095")
    client.force_login(lab.technician)
    response = client.get(f"/shipping/ship/?case={case.pk}", follow=True)
    assert response.redirect_chain[-1][0] == f"/cases/{case.pk}/"
    assert "Case 2026-00095 is in production; it cannot be shipped now." in response.content.decode()


def test_dentists_get_403_and_a_missing_case_is_404(client, lab):
    case = lab.case()
    client.force_login(lab.dentist)
    assert client.get(f"/shipping/ship/?case={case.pk}").status_code == 403
    client.force_login(lab.technician)
    assert client.get("/shipping/ship/?case=abc").status_code == 404
    assert client.get("/shipping/ship/").status_code == 404

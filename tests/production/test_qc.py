"""The QC checklist: GET/POST /api/cases/{id}/qc/, and quality_check → shipped needs every item ticked."""

import pytest
from django.urls import reverse

from cases.models import Case, Status
from cases.services import transition_case
from production.models import QCCheck, QCItem
from tests.factories import (
    CaseFactory,
    CaseItemFactory,
    DentistFactory,
    ManagerFactory,
    ProductFactory,
    TechnicianFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def checklist():
    return [
        QCItem.objects.create(category="crown_bridge", label=label, position=n)
        for n, label in enumerate(["Margins", "Contacts", "Occlusion"])
    ] + [QCItem.objects.create(category="removable", label="Borders")]


def _case(status=Status.QUALITY_CHECK, **fields):
    case = CaseFactory(status=status, **fields)
    CaseItemFactory(case=case, product=ProductFactory(category="crown_bridge"))
    return case


def test_the_checklist_is_the_case_categories_items_unticked(api, checklist):
    case = _case()
    body = api(TechnicianFactory()).get(f"/api/cases/{case.pk}/qc/").json()
    assert [row["label"] for row in body] == ["Margins", "Contacts", "Occlusion"]
    assert body[0] == {
        "id": checklist[0].pk,
        "label": "Margins",
        "checked": False,
        "checked_by": None,
        "checked_at": None,
    }


def test_ticking_records_who_and_when(api, checklist):
    case = _case()
    tech = TechnicianFactory()
    body = api(tech).post(f"/api/cases/{case.pk}/qc/", {"items": [checklist[0].pk]}, format="json").json()
    assert body[0]["checked"] is True and body[0]["checked_by"] == {"id": tech.pk, "name": tech.name}
    assert body[0]["checked_at"] and body[1]["checked"] is False


def test_ticking_outside_quality_check_is_409(api, checklist):
    case = _case(status=Status.IN_PRODUCTION)
    response = api(TechnicianFactory()).post(f"/api/cases/{case.pk}/qc/", {"items": [checklist[0].pk]}, format="json")
    assert response.status_code == 409
    assert not QCCheck.objects.exists()


def test_an_item_of_another_category_is_refused(api, checklist):
    case = _case()
    response = api(TechnicianFactory()).post(f"/api/cases/{case.pk}/qc/", {"items": [checklist[3].pk]}, format="json")
    assert response.status_code == 400 and "items" in response.json()["errors"]


def test_dentists_see_no_checklist(api, checklist):
    dentist = DentistFactory()
    case = _case(dentist=dentist)
    assert api(dentist).get(f"/api/cases/{case.pk}/qc/").status_code == 403
    assert api(DentistFactory()).get(f"/api/cases/{case.pk}/qc/").status_code == 404


def test_shipping_needs_every_item_ticked(api, checklist):
    case = _case()
    manager = ManagerFactory()
    response = api(manager).post(f"/api/cases/{case.pk}/transition/", {"to": "shipped"}, format="json")
    assert response.status_code == 409 and "Contacts" in response.json()["message"]
    assert Case.objects.get(pk=case.pk).status == Status.QUALITY_CHECK
    api(manager).post(f"/api/cases/{case.pk}/qc/", {"items": [i.pk for i in checklist[:3]]}, format="json")
    transition_case(case=case, to=Status.SHIPPED, actor=manager)
    assert Case.objects.get(pk=case.pk).status == Status.SHIPPED


def test_ticking_from_the_case_page(client, checklist):
    case = _case()
    tech = TechnicianFactory()
    client.force_login(tech)
    page = client.get(reverse("cases:detail", args=[case.pk]))
    assert b"QC checklist" in page.content
    response = client.post(reverse("production:case_qc", args=[case.pk]), {"items": [checklist[1].pk]})
    assert response.status_code == 302
    assert QCCheck.objects.get(case=case).item_id == checklist[1].pk


def test_managers_edit_the_checklist(client):
    client.force_login(ManagerFactory())
    response = client.post(reverse("production:qc_items"), {"category": "implant", "label": ""})
    assert response.status_code == 200 and b"This field is required" in response.content
    client.post(reverse("production:qc_items"), {"category": "implant", "label": "Screw channel"})
    item = QCItem.objects.get(label="Screw channel")
    client.post(reverse("production:qc_item_remove", args=[item.pk]))
    assert not QCItem.objects.get(pk=item.pk).active

"""New case and edit: dentists create for their own practice (draft or submit), lab staff pick
practice and dentist, errors show next to the field and nothing is half-saved."""

import datetime

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.audit import AuditAction, AuditEvent
from cases.models import Case, EventKind, Status
from cases.services import suggested_due_date
from tests.case_pages import make_lab, move

pytestmark = pytest.mark.django_db


@pytest.fixture
def lab():
    return make_lab()


def _post_data(lab, items=None, **fields):
    items = items if items is not None else [{"product": lab.crown.pk, "teeth": "11, 21", "quantity": 1}]
    data = {
        "patient_name": "AB-77",
        "pan_number": "12",
        "priority": "normal",
        "due_date": "",
        "shade": "a2",
        "instructions": "",
        "items-TOTAL_FORMS": str(len(items)),
        "items-INITIAL_FORMS": "0",
        "items-MIN_NUM_FORMS": "1",
        "items-MAX_NUM_FORMS": "30",
        "action": "draft",
    }
    for index, item in enumerate(items):
        for key, value in {"shade": "", "material": "", "quantity": 1, **item}.items():
            data[f"items-{index}-{key}"] = value
    data.update(fields)
    return data


def test_a_dentist_saves_a_draft_for_their_own_practice(client, lab):
    client.force_login(lab.dentist)
    response = client.post(reverse("cases:create"), _post_data(lab))
    case = Case.objects.latest("id")
    assert response.status_code == 302 and response["Location"] == reverse("cases:detail", args=[case.pk])
    assert (case.status, case.practice, case.dentist, case.shade) == (Status.DRAFT, lab.practice, lab.dentist, "A2")
    assert list(case.items.values_list("teeth", flat=True)) == [[11, 21]]


def test_a_dentist_submits_two_items_to_the_lab(client, lab):
    client.force_login(lab.dentist)
    items = [
        {"product": lab.crown.pk, "teeth": "11,21", "quantity": 2, "shade": "A1"},
        {"product": lab.bridge.pk, "teeth": "36", "material": "Lithium disilicate"},
    ]
    client.post(reverse("cases:create"), _post_data(lab, items, action="submit"))
    case = Case.objects.latest("id")
    assert case.status == Status.SUBMITTED
    assert [(i.product_id, i.teeth, i.quantity, i.shade) for i in case.items.all()] == [
        (lab.crown.pk, [11, 21], 2, "A1"),
        (lab.bridge.pk, [36], 1, ""),
    ]
    assert case.items.last().material == "Lithium disilicate"


def test_a_dentist_cannot_create_for_another_practice_by_posting_its_id(client, lab):
    client.force_login(lab.dentist)
    client.post(
        reverse("cases:create"),
        _post_data(lab, practice=lab.other_practice.pk, dentist=lab.other_dentist.pk),
    )
    case = Case.objects.latest("id")
    assert (case.practice, case.dentist) == (lab.practice, lab.dentist)


def test_the_dentist_form_has_no_practice_or_dentist_fields_but_offers_submit(client, lab):
    client.force_login(lab.dentist)
    html = client.get(reverse("cases:create")).content.decode()
    assert 'name="practice"' not in html and 'name="dentist"' not in html
    assert 'value="submit"' in html and 'value="draft"' in html
    assert "data-tooth-chart" in html and 'data-tooth="48"' in html


def test_lab_staff_pick_the_practice_and_dentist(client, lab):
    client.force_login(lab.manager)
    html = client.get(reverse("cases:create")).content.decode()
    assert f'data-practice="{lab.practice.pk}"' in html
    client.post(reverse("cases:create"), _post_data(lab, practice=lab.practice.pk, dentist=lab.dentist.pk))
    case = Case.objects.latest("id")
    assert (case.practice, case.dentist, case.created_by) == (lab.practice, lab.dentist, lab.manager)


def test_a_dentist_of_another_practice_is_refused_next_to_the_dentist_field(client, lab):
    client.force_login(lab.manager)
    before = Case.objects.count()
    response = client.post(
        reverse("cases:create"), _post_data(lab, practice=lab.practice.pk, dentist=lab.other_dentist.pk)
    )
    assert response.status_code == 400
    assert "is not a dentist of" in str(response.context["form"].errors["dentist"])
    assert Case.objects.count() == before


def test_a_technician_may_save_a_draft_but_is_not_offered_submit(client, lab):
    client.force_login(lab.technician)
    html = client.get(reverse("cases:create")).content.decode()
    assert 'value="submit"' not in html


def test_a_forbidden_submit_is_a_form_error_and_saves_nothing(client, lab):
    client.force_login(lab.technician)
    before = Case.objects.count()
    response = client.post(
        reverse("cases:create"),
        _post_data(lab, practice=lab.practice.pk, dentist=lab.dentist.pk, action="submit"),
    )
    assert response.status_code == 400
    assert response.context["form"].non_field_errors()
    assert Case.objects.count() == before


@pytest.mark.parametrize(
    ("fields", "items", "where", "message"),
    [
        ({"patient_name": ""}, None, "patient_name", "required"),
        ({"shade": "Z9"}, None, "shade", "is not a VITA classical"),
        ({"due_date": "tomorrow"}, None, "due_date", "Enter a valid date"),
        ({}, [{"product": "", "teeth": "11"}], "items.product", "required"),
        ({}, [{"product": "LAB", "teeth": ""}], "items.teeth", "Choose at least one tooth"),
        ({}, [{"product": "LAB", "teeth": "19"}], "items.teeth", "19 is not a valid FDI tooth number"),
        ({}, [{"product": "LAB", "teeth": "11", "quantity": 0}], "items.quantity", "greater than or equal to 1"),
        ({}, [{"product": "LAB", "teeth": "11", "shade": "pink"}], "items.shade", "is not a VITA"),
    ],
)
def test_bad_input_shows_the_error_next_to_the_field_and_saves_nothing(client, lab, fields, items, where, message):
    client.force_login(lab.dentist)
    if items:
        items = [{**item, "product": lab.crown.pk if item["product"] == "LAB" else item["product"]} for item in items]
    before = Case.objects.count()
    response = client.post(reverse("cases:create"), _post_data(lab, items, action="submit", **fields))
    assert response.status_code == 400
    if where.startswith("items."):
        errors = response.context["formset"].forms[0].errors[where.split(".")[1]]
    else:
        errors = response.context["form"].errors[where]
    assert message in " ".join(errors)
    assert escape(message) in response.content.decode()  # shown on the page, next to the field
    assert Case.objects.count() == before


def test_removing_every_line_asks_for_at_least_one_item(client, lab):
    client.force_login(lab.dentist)
    data = _post_data(lab)
    data["items-0-DELETE"] = "on"
    response = client.post(reverse("cases:create"), data)
    assert response.status_code == 400
    assert "Add at least one item." in response.context["formset"].non_form_errors()


def test_an_empty_extra_line_is_ignored(client, lab):
    client.force_login(lab.dentist)
    data = _post_data(lab, [{"product": lab.crown.pk, "teeth": "11"}, {"product": "", "teeth": "", "quantity": 1}])
    assert client.post(reverse("cases:create"), data).status_code == 302
    assert Case.objects.latest("id").items.count() == 1


def test_a_dentist_edits_the_rx_and_items_of_a_submitted_case(client, lab):
    client.force_login(lab.dentist)
    data = _post_data(
        lab,
        [{"product": lab.crown.pk, "teeth": "11, 21, 22", "quantity": 3}],
        patient_name="JD-1042b",
        priority="rush",
        pan_number="P-7",
        instructions="Light contacts please.",
    )
    data["items-INITIAL_FORMS"] = "2"
    data["items-TOTAL_FORMS"] = "2"
    data.update(
        {"items-1-product": lab.bridge.pk, "items-1-teeth": "36", "items-1-quantity": 1, "items-1-DELETE": "on"}
    )
    response = client.post(reverse("cases:edit", args=[lab.case.pk]), data)
    assert response.status_code == 302
    lab.case.refresh_from_db()
    assert (lab.case.patient_name, lab.case.priority) == ("JD-1042b", "rush")
    assert [(i.teeth, i.quantity) for i in lab.case.items.all()] == [([11, 21, 22], 3)]
    edits = lab.case.events.filter(kind=EventKind.EDIT)
    assert {tuple(e.data["fields"]) for e in edits} == {("patient_name", "priority"), ("items",)}
    assert AuditEvent.objects.filter(action=AuditAction.CASE_CHANGED, case_id=lab.case.pk).count() == 2


def test_the_edit_form_starts_with_the_cases_values(client, lab):
    client.force_login(lab.manager)
    response = client.get(reverse("cases:edit", args=[lab.case.pk]))
    formset = response.context["formset"]
    assert [form.initial["teeth"] for form in formset.forms] == ["11, 21", "36"]
    assert response.context["form"].initial["patient_name"] == "JD-1042"
    assert 'name="practice"' not in response.content.decode()


def test_a_failing_item_edit_rolls_back_the_rx_change(client, lab):
    client.force_login(lab.manager)
    lab.crown.active = False
    lab.crown.save()
    data = _post_data(lab, [{"product": lab.crown.pk, "teeth": "11"}], patient_name="Changed")
    data["items-INITIAL_FORMS"] = "1"
    response = client.post(reverse("cases:edit", args=[lab.case.pk]), data)
    # The retired crown is still allowed because the case already has it: the edit succeeds.
    assert response.status_code == 302
    lab.case.refresh_from_db()
    assert lab.case.patient_name == "Changed"


def test_a_dentists_edit_after_receipt_is_refused(client, lab):
    move(lab.case, lab.technician, Status.RECEIVED)
    client.force_login(lab.dentist)
    response = client.post(reverse("cases:edit", args=[lab.case.pk]), _post_data(lab, patient_name="Nope"))
    assert response.status_code == 403
    lab.case.refresh_from_db()
    assert lab.case.patient_name == "JD-1042"


def test_the_due_date_suggestion_uses_the_longest_turnaround(client, lab):
    client.force_login(lab.dentist)
    response = client.get(reverse("cases:due-date"), {"product": [lab.crown.pk, lab.bridge.pk]})
    expected = suggested_due_date([lab.crown, lab.bridge])
    assert response.json()["due_date"] == expected.isoformat()
    assert response.json()["working_days"] == 7
    assert expected > datetime.date.today()


@pytest.mark.parametrize("value", ["abc", "999999"])
def test_the_due_date_suggestion_names_the_bad_field(client, lab, value):
    client.force_login(lab.dentist)
    response = client.get(reverse("cases:due-date"), {"product": value})
    assert response.status_code == 400 and "product" in response.json()["errors"]


def test_the_due_date_suggestion_needs_a_signed_in_user(client, lab):
    assert client.get(reverse("cases:due-date"), {"product": lab.crown.pk}).status_code == 302

"""POST|GET /api/shipments/ (DESIGN §14): all listed cases move to shipped in one transaction, or
none does; bad input is refused naming the field (or the case), and nothing moves."""

import pytest

from cases.models import Case, Status, TimelineEvent
from shipping.models import Courier, Shipment

pytestmark = pytest.mark.django_db
URL = "/api/shipments/"


def post(api, user, **body):
    return api(user).post(URL, body, format="json")


def statuses(*cases):
    return [Case.objects.get(pk=case.pk).status for case in cases]


def test_two_qc_passed_cases_of_one_practice_ship_together(api, lab):
    first, second = lab.case(number="2026-00041"), lab.case(number="2026-00042")
    response = post(
        api, lab.technician, courier=lab.ups.pk, tracking_number="1Z999AA10123456784", cases=[first.pk, second.pk]
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert set(body) == {"id", "practice", "courier", "tracking_number", "tracking_url", "shipped_at", "cases"}
    assert body["practice"] == lab.practice.pk
    assert body["courier"] == {"id": lab.ups.pk, "name": "UPS"}
    assert body["tracking_number"] == "1Z999AA10123456784"
    assert body["tracking_url"] == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    assert body["cases"] == [first.pk, second.pk]
    assert statuses(first, second) == [Status.SHIPPED, Status.SHIPPED]
    # The case JSON keeps its tracking number; the timeline says how it left.
    case_json = api(lab.dentist).get(f"/api/cases/{first.pk}/").json()
    assert case_json["status"] == "shipped" and case_json["tracking_number"] == "1Z999AA10123456784"
    move = TimelineEvent.objects.get(case=first, kind="status", to_status="shipped")
    assert move.body == "Shipped with UPS, tracking 1Z999AA10123456784." and move.actor == lab.technician


def test_the_tracking_number_is_quoted_into_the_courier_link(api, lab):
    case = lab.case()
    body = post(api, lab.manager, courier=lab.ups.pk, tracking_number="AB 12/&x", cases=[case.pk]).json()
    assert body["tracking_url"] == "https://www.ups.com/track?tracknum=AB%2012%2F%26x"


def test_the_lab_driver_needs_no_tracking_number(api, lab):
    case = lab.case()
    body = post(api, lab.manager, courier=lab.driver.pk, cases=[case.pk]).json()
    assert body["tracking_number"] == "" and body["tracking_url"] == ""
    assert statuses(case) == [Status.SHIPPED]


def assert_refused(response, status, field, fragment, *cases):
    assert response.status_code == status, response.json()
    body = response.json()
    assert field in body["errors"] and fragment in body["message"], body
    assert not Shipment.objects.exists()
    assert all(s == Status.QUALITY_CHECK for s in statuses(*cases) if s != Status.IN_PRODUCTION)


def test_a_case_of_another_practice_in_the_same_shipment_is_refused_and_nothing_moves(api, lab):
    ours, theirs = lab.case(number="2026-00050"), lab.case(number="2026-00051", practice=lab.other_practice)
    response = post(api, lab.manager, courier=lab.ups.pk, tracking_number="1Z1", cases=[ours.pk, theirs.pk])
    assert_refused(response, 400, "cases", "Case 2026-00051 belongs to Riverside Family Dentistry", ours, theirs)


def test_a_case_not_in_quality_check_is_a_409_naming_it_and_nothing_moves(api, lab):
    ready, not_ready = lab.case(number="2026-00060"), lab.case(number="2026-00061", status=Status.IN_PRODUCTION)
    response = post(api, lab.manager, courier=lab.ups.pk, tracking_number="1Z1", cases=[ready.pk, not_ready.pk])
    assert_refused(response, 409, "cases", "Case 2026-00061 is in production", ready)
    assert response.json()["code"] == "transition_not_allowed"
    assert statuses(ready, not_ready) == [Status.QUALITY_CHECK, Status.IN_PRODUCTION]


def test_an_already_shipped_case_cannot_ship_again(api, lab):
    case = lab.case(number="2026-00062")
    assert post(api, lab.manager, courier=lab.ups.pk, tracking_number="1Z1", cases=[case.pk]).status_code == 201
    again = post(api, lab.manager, courier=lab.ups.pk, tracking_number="1Z2", cases=[case.pk])
    assert again.status_code == 409 and "Case 2026-00062 is shipped" in again.json()["message"]
    assert Shipment.objects.count() == 1


def test_an_empty_case_list_is_refused(api, lab):
    assert_refused(
        post(api, lab.manager, courier=lab.ups.pk, tracking_number="1Z1", cases=[]), 400, "cases", "at least one case"
    )


@pytest.mark.parametrize(
    ("tracking", "fragment"),
    [
        ("1Z999\x00AA", "Null characters are not allowed"),  # DRF's own message for NUL
        ("1Z999\nAA", "control characters"),
        ("1Z\u200b999", "control characters"),
        ("X" * 500, "at most 60 characters; got 500"),
    ],
)
def test_a_bad_tracking_number_is_refused_and_nothing_moves(api, lab, tracking, fragment):
    case = lab.case()
    response = post(api, lab.manager, courier=lab.ups.pk, tracking_number=tracking, cases=[case.pk])
    assert_refused(response, 400, "tracking_number", fragment, case)


def test_a_carrier_needs_a_tracking_number(api, lab):
    case = lab.case()
    response = post(api, lab.manager, courier=lab.ups.pk, tracking_number="  ", cases=[case.pk])
    assert_refused(response, 400, "tracking_number", "Enter the UPS tracking number", case)


def test_an_unknown_case_or_courier_is_refused(api, lab):
    case = lab.case()
    assert_refused(
        post(api, lab.manager, courier=lab.ups.pk, tracking_number="1", cases=[case.pk, 999999]),
        400,
        "cases",
        "No case with id 999999",
        case,
    )
    assert_refused(
        post(api, lab.manager, courier=999999, tracking_number="1", cases=[case.pk]),
        400,
        "courier",
        "No active courier",
        case,
    )
    Courier.objects.filter(pk=lab.ups.pk).update(active=False)
    assert_refused(
        post(api, lab.manager, courier=lab.ups.pk, tracking_number="1", cases=[case.pk]),
        400,
        "courier",
        "No active courier",
        case,
    )


def test_a_practice_given_must_be_the_cases_practice(api, lab):
    case = lab.case()
    response = post(
        api, lab.manager, courier=lab.ups.pk, tracking_number="1", cases=[case.pk], practice=lab.other_practice.pk
    )
    assert_refused(response, 400, "cases", "belongs to Bright Smile Dental, not Riverside Family Dentistry", case)


def test_dentists_cannot_ship(api, lab):
    case = lab.case()
    response = post(api, lab.dentist, courier=lab.ups.pk, tracking_number="1", cases=[case.pk])
    assert response.status_code == 403 and statuses(case) == [Status.QUALITY_CHECK]


def test_a_dentist_lists_only_their_practices_shipments_in_few_queries(api, lab, django_assert_max_num_queries):
    for _ in range(3):
        post(api, lab.manager, courier=lab.ups.pk, tracking_number="1Z", cases=[lab.case().pk, lab.case().pk])
    post(api, lab.manager, courier=lab.ups.pk, tracking_number="1Z", cases=[lab.case(practice=lab.other_practice).pk])
    client = api(lab.dentist)
    with django_assert_max_num_queries(4):
        body = client.get(URL).json()
    assert body["count"] == 3 and all(item["practice"] == lab.practice.pk for item in body["results"])
    assert all(len(item["cases"]) == 2 for item in body["results"])
    assert api(lab.manager).get(URL).json()["count"] == 4


def test_couriers_are_listed_for_the_lab_only(api, lab):
    body = api(lab.technician).get("/api/couriers/").json()
    assert [c["name"] for c in body["results"]] == ["Lab driver", "UPS"]
    assert body["results"][1] == {
        "id": lab.ups.pk,
        "name": "UPS",
        "tracking_url_template": "https://www.ups.com/track?tracknum={tracking}",
        "is_lab_driver": False,
        "active": True,
    }
    assert api(lab.dentist).get("/api/couriers/").status_code == 403

import pytest

from accounts.audit import AuditAction, AuditEvent
from accounts.models import Practice
from tests.factories import DentistFactory, ManagerFactory, PracticeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(client):
    user = ManagerFactory()
    client.force_login(user)
    return user


def test_the_list_shows_practices_with_their_dentist_counts(client, manager):
    practice = PracticeFactory(name="Bright Smile Dental", account_number="BSD-1")
    DentistFactory.create_batch(2, practice=practice)
    response = client.get("/practices/")
    assert b"Bright Smile Dental" in response.content and b"BSD-1" in response.content
    assert [p.dentist_count for p in response.context["page"]] == [2]


def test_the_list_searches_and_filters(client, manager):
    PracticeFactory(name="Bright Smile Dental")
    PracticeFactory(name="Riverside Family", active=False)
    assert [p.name for p in client.get("/practices/?q=bright").context["page"]] == ["Bright Smile Dental"]
    assert [p.name for p in client.get("/practices/?status=inactive").context["page"]] == ["Riverside Family"]


def test_a_manager_creates_a_practice_and_it_is_audited(client, manager):
    response = client.post(
        "/practices/new/",
        {
            "name": "Harbour Dental",
            "account_number": "HD-7",
            "phone": "+1 555 0100",
            "email": "hi@harbour.test",
            "active": "on",
        },
    )
    assert response.status_code == 302 and response["Location"] == "/practices/"
    practice = Practice.objects.get(name="Harbour Dental")
    event = AuditEvent.objects.get(action=AuditAction.PRACTICE_CHANGED)
    assert (event.actor, event.object_id, event.detail["created"]) == (manager, str(practice.pk), True)


def test_a_manager_edits_and_deactivates_a_practice(client, manager):
    practice = PracticeFactory(name="Old Name")
    client.post(f"/practices/{practice.pk}/", {"name": "New Name", "account_number": practice.account_number})
    practice.refresh_from_db()
    assert (practice.name, practice.active) == ("New Name", False)


def test_a_duplicate_account_number_is_reported_next_to_the_field(client, manager):
    PracticeFactory(account_number="ACC-1")
    response = client.post("/practices/new/", {"name": "Copy", "account_number": "acc-1", "active": "on"})
    assert response.status_code == 200
    assert response.context["form"].errors == {"account_number": ["Another practice already has this account number."]}
    assert b"is-invalid" in response.content


def test_a_name_is_required(client, manager):
    response = client.post("/practices/new/", {"name": ""})
    assert response.context["form"].errors["name"] == ["This field is required."]


def test_the_edit_page_lists_the_practices_dentists(client, manager):
    dentist = DentistFactory(name="Dr. Listed")
    assert b"Dr. Listed" in client.get(f"/practices/{dentist.practice_id}/").content


def test_the_list_needs_a_bounded_number_of_queries(client, manager, django_assert_max_num_queries):
    for practice in PracticeFactory.create_batch(10):
        DentistFactory(practice=practice)
    with django_assert_max_num_queries(6):
        client.get("/practices/")

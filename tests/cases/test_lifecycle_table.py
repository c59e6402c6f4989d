"""The lifecycle table (DESIGN §3-§4): every allowed and every refused move, for every role,
through the services and over the API (200 / 409 / 403 / 400 / 404).

The expectations are written out here from the design, independently of cases.lifecycle, and
the parameters come from the full cross product of statuses, so a move added to or dropped from
lifecycle.TRANSITIONS without the design changing fails a test.
"""

import pytest
from django.core.exceptions import ValidationError

from accounts.audit import AuditAction, AuditEvent
from accounts.models import Role
from cases import lifecycle
from cases.models import EventKind, Status
from cases.services import TransitionForbidden, TransitionNotAllowed, transition_case
from tests.factories import AdminFactory, CaseFactory, DentistFactory, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db

S = Status

# DESIGN §4, as written there.
DESIGN_MOVES = {
    S.DRAFT: {S.SUBMITTED, S.CANCELLED},
    S.SUBMITTED: {S.RECEIVED, S.CANCELLED},
    S.RECEIVED: {S.IN_DESIGN, S.IN_PRODUCTION, S.ON_HOLD, S.CANCELLED},
    S.IN_DESIGN: {S.AWAITING_APPROVAL, S.IN_PRODUCTION, S.ON_HOLD},
    S.AWAITING_APPROVAL: {S.IN_PRODUCTION, S.IN_DESIGN, S.ON_HOLD},
    S.IN_PRODUCTION: {S.QUALITY_CHECK, S.ON_HOLD},
    S.QUALITY_CHECK: {S.SHIPPED, S.IN_PRODUCTION},
    S.SHIPPED: {S.DELIVERED},
    S.DELIVERED: set(),
    S.CANCELLED: set(),
}
# DESIGN §3: the dentist's moves.
DENTIST_MOVES = {
    (S.DRAFT, S.SUBMITTED),
    (S.DRAFT, S.CANCELLED),
    (S.SUBMITTED, S.CANCELLED),
    (S.AWAITING_APPROVAL, S.IN_PRODUCTION),
    (S.AWAITING_APPROVAL, S.IN_DESIGN),
    (S.SHIPPED, S.DELIVERED),
}
# Moves that must say why (the lab's rule, kept in lifecycle.reason_required).
NEEDS_REASON = {(S.RECEIVED, S.CANCELLED), (S.AWAITING_APPROVAL, S.IN_DESIGN), (S.QUALITY_CHECK, S.IN_PRODUCTION)}

ROLES = ["admin", "manager", "technician", "dentist"]
HOLDABLE = sorted((source for source, targets in DESIGN_MOVES.items() if S.ON_HOLD in targets), key=S.values.index)

# Starting points: every status, and on_hold once for each status a case can be held from.
STARTS = [(status, "") for status in S.values if status != S.ON_HOLD] + [(S.ON_HOLD, held) for held in HOLDABLE]


def exists(status, held_from, to) -> bool:
    if status == S.ON_HOLD:
        return to == held_from  # on_hold returns only to where it came from
    return to in DESIGN_MOVES[status]


def role_may(role, status, to) -> bool:
    if role in ("admin", "manager"):
        return True
    if role == "technician":
        return status != S.DRAFT and to != S.CANCELLED
    return (status, to) in DENTIST_MOVES


def needs_reason(status, to) -> bool:
    return (status, to) in NEEDS_REASON or to == S.ON_HOLD


def expected(role, status, held_from, to) -> int:
    if not exists(status, held_from, to):
        return 409
    if not role_may(role, status, to):
        return 403
    return 200


TABLE = [
    pytest.param(role, status, held_from, to, id=f"{role}:{status}{'<' + held_from if held_from else ''}->{to}")
    for role in ROLES
    for status, held_from in STARTS
    for to in S.values
]


def make_actor(role, case):
    if role == "dentist":
        return DentistFactory(practice=case.practice)
    return {"admin": AdminFactory, "manager": ManagerFactory, "technician": TechnicianFactory}[role]()


def make_case(status, held_from):
    return CaseFactory(status=status, held_from_status=held_from)


def test_the_lifecycle_module_has_exactly_the_designed_moves():
    designed = {status: set(targets) for status, targets in lifecycle.TRANSITIONS.items() if status != S.ON_HOLD}
    assert designed == DESIGN_MOVES
    assert lifecycle.TRANSITIONS[S.ON_HOLD] == frozenset()
    assert set(lifecycle.DENTIST_MOVES) == DENTIST_MOVES
    for status, _held in STARTS:
        for to in S.values:
            assert lifecycle.reason_required(status, to) == needs_reason(status, to)


@pytest.mark.parametrize(("role", "status", "held_from", "to"), TABLE)
def test_moves_through_the_services(role, status, held_from, to):
    case = make_case(status, held_from)
    actor = make_actor(role, case)
    outcome = expected(role, status, held_from, to)
    events_before = case.events.count()
    if outcome == 200:
        moved = transition_case(case=case, to=to, actor=actor, note="Because the table says so")
        assert moved.status == to
        assert moved.held_from_status == (status if to == S.ON_HOLD else "")
        event = moved.events.get(kind=EventKind.STATUS)
        assert (event.from_status, event.to_status, event.actor) == (status, to, actor)
        assert AuditEvent.objects.filter(action=AuditAction.CASE_TRANSITIONED, case_id=case.pk).count() == 1
        return
    error = TransitionNotAllowed if outcome == 409 else TransitionForbidden
    with pytest.raises(error):
        transition_case(case=case, to=to, actor=actor, note="Because")
    case.refresh_from_db()
    assert (case.status, case.held_from_status) == (status, held_from)
    assert case.events.count() == events_before


@pytest.mark.parametrize(("role", "status", "held_from", "to"), TABLE)
def test_moves_over_the_api(client, role, status, held_from, to):
    case = make_case(status, held_from)
    client.force_login(make_actor(role, case))
    response = client.post(
        f"/api/cases/{case.pk}/transition/", {"to": to, "note": "Reason"}, content_type="application/json"
    )
    outcome = expected(role, status, held_from, to)
    assert response.status_code == outcome, response.json()
    body = response.json()
    case.refresh_from_db()
    if outcome == 200:
        assert body["status"] == to == case.status
    else:
        assert body["message"] and case.status == status
        assert not case.events.exists()


REASON_MOVES = sorted(
    {(status, to) for status, targets in DESIGN_MOVES.items() for to in targets if needs_reason(status, to)}
)


@pytest.mark.parametrize(("status", "to"), REASON_MOVES, ids=[f"{a}->{b}" for a, b in REASON_MOVES])
@pytest.mark.parametrize("note", ["", "   "])
def test_a_move_that_needs_a_reason_is_refused_without_one(client, status, to, note):
    case = make_case(status, "")
    manager = ManagerFactory()
    with pytest.raises(ValidationError) as exc:
        transition_case(case=case, to=to, actor=manager, note=note)
    assert "note" in exc.value.message_dict
    client.force_login(manager)
    response = client.post(
        f"/api/cases/{case.pk}/transition/", {"to": to, "note": note}, content_type="application/json"
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["note"]
    case.refresh_from_db()
    assert case.status == status and not case.events.exists()


@pytest.mark.parametrize("held_from", HOLDABLE)
def test_on_hold_returns_to_where_it_came_from(held_from):
    manager = ManagerFactory()
    case = make_case(held_from, "")
    case = transition_case(case=case, to=S.ON_HOLD, actor=manager, note="Waiting for the dentist")
    assert lifecycle.allowed_moves(manager, case) == [held_from]
    case = transition_case(case=case, to=held_from, actor=manager)
    assert (case.status, case.held_from_status) == (held_from, "")


def test_the_other_practices_dentist_gets_404_and_a_role_refusal_from_the_service(client):
    case = make_case(S.DRAFT, "")
    stranger = DentistFactory()
    client.force_login(stranger)
    response = client.post(f"/api/cases/{case.pk}/transition/", {"to": S.SUBMITTED}, content_type="application/json")
    assert response.status_code == 404
    with pytest.raises(TransitionForbidden):
        transition_case(case=case, to=S.SUBMITTED, actor=stranger)


@pytest.mark.parametrize("payload", [{}, {"to": "lost"}, {"to": ""}])
def test_an_unknown_target_is_a_400_naming_to(client, payload):
    case = make_case(S.SUBMITTED, "")
    client.force_login(ManagerFactory())
    response = client.post(f"/api/cases/{case.pk}/transition/", payload, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["to"]


def test_roles_in_the_table_are_all_the_roles():
    assert set(ROLES) == set(Role.values)


def test_services_refuse_a_dentist_creating_for_another_practice():
    from django.core.exceptions import PermissionDenied

    from cases.services import ItemInput, create_case
    from tests.factories import ProductFactory

    dentist, other = DentistFactory(), DentistFactory()
    with pytest.raises(PermissionDenied):
        create_case(
            actor=dentist,
            practice=other.practice,
            dentist=other,
            patient_name="X",
            items=[ItemInput(product=ProductFactory(), teeth=[11])],
        )

"""The lifecycle table (DESIGN §3-§4), written out here as data from the design, not from the code.

`DESIGN_TABLE` below is the design's move table with, for each move, the roles §3 lets make it
(A admin, M manager, T technician, D dentist of the case's practice). It is checked once, in full,
against `cases.lifecycle` (every role × every starting status × every target: 616 outcomes, in
memory), and a sample of the cross product goes through the API, where the rule is enforced: every
move once with the least privileged role allowed to make it (200), once with the most privileged
role that is refused it (403), and a fixed random sample of moves that do not exist (409).
"""

import random

import pytest
from django.core.exceptions import ValidationError

from accounts.audit import AuditAction, AuditEvent
from accounts.models import Role, User
from cases import lifecycle
from cases.models import Case, EventKind, Status
from cases.services import TransitionForbidden, transition_case
from tests.factories import AdminFactory, CaseFactory, DentistFactory, ManagerFactory, TechnicianFactory

S = Status

# DESIGN §4's table, one row per move, with §3's "moves by role". `on_hold<X` is a case held from X:
# it may only go back to X. A dentist moves only their own practice's cases (the others: 404).
DESIGN_TABLE = """
    draft                 submitted           A M . D    submit
    draft                 cancelled           A M . D    cancel before received
    submitted             received            A M T .
    submitted             cancelled           A M . D    cancel before received
    received              in_design           A M T .
    received              in_production       A M T .
    received              on_hold             A M T .
    received              cancelled           A M . .    cancelling a received case: managers, with a reason
    in_design             awaiting_approval   A M T .
    in_design             in_production       A M T .
    in_design             on_hold             A M T .
    awaiting_approval     in_production       A M T D    approve the design
    awaiting_approval     in_design           A M T D    request changes
    awaiting_approval     on_hold             A M T .
    in_production         quality_check       A M T .
    in_production         on_hold             A M T .
    quality_check         shipped             A M T .
    quality_check         in_production       A M T .    rework
    shipped               delivered           A M T D    confirm receipt
    on_hold<received          received           A M T .
    on_hold<in_design         in_design          A M T .
    on_hold<awaiting_approval awaiting_approval  A M T .
    on_hold<in_production     in_production      A M T .
"""
ROLE_LETTERS = {"A": Role.ADMIN, "M": Role.MANAGER, "T": Role.TECHNICIAN, "D": Role.DENTIST}
# From the least to the most privileged, for picking the roles at the edge of each rule.
ROLES = [Role.DENTIST, Role.TECHNICIAN, Role.MANAGER, Role.ADMIN]


def parse(table: str) -> dict[tuple[str, str, str], frozenset[str]]:
    """{(status, held_from, to): roles that may make the move}."""
    moves = {}
    for line in table.strip().splitlines():
        start, to, *rest = line.split()
        status, _, held_from = start.partition("<")
        moves[status, held_from, to] = frozenset(ROLE_LETTERS[letter] for letter in rest[:4] if letter != ".")
    return moves


MOVES = parse(DESIGN_TABLE)
# Moves that need a reason (the note): cancelling a received case (DESIGN §3); the lab has added
# putting any case on hold, requesting design changes and sending back for rework.
NEEDS_REASON = {(S.RECEIVED, S.CANCELLED), (S.AWAITING_APPROVAL, S.IN_DESIGN), (S.QUALITY_CHECK, S.IN_PRODUCTION)}
NEEDS_REASON |= {(status, S.ON_HOLD) for status, _, to in MOVES if to == S.ON_HOLD}

# Every starting point: each status, and on_hold once for each status a case can be held from.
HOLDABLE = sorted({status for status, _, to in MOVES if to == S.ON_HOLD}, key=S.values.index)
STARTS = [(status, "") for status in S.values if status != S.ON_HOLD] + [(S.ON_HOLD, held) for held in HOLDABLE]


def expected(role: str, status: str, held_from: str, to: str) -> int:
    if (status, held_from, to) not in MOVES:
        return 409
    return 200 if role in MOVES[status, held_from, to] else 403


def test_the_design_table_is_whole():
    """The table covers every status and each move of §4 (a typo in it must not pass silently)."""
    assert {status for status, _, _ in MOVES} | {to for _, _, to in MOVES} == set(S.values)
    assert {(s, h) for s, h, _ in MOVES} <= set(STARTS)
    assert len(MOVES) == 23
    assert all(MOVES.values()), "every move has someone who may make it"


def test_the_lifecycle_module_gives_the_designed_outcome_for_every_role_status_and_target():
    """All 616 outcomes, in memory: the module's answer must be the design's."""
    wrong = []
    for role in ROLES:
        user = User(role=role, practice_id=1 if role == Role.DENTIST else None, is_active=True)
        stranger = User(role=Role.DENTIST, practice_id=2, is_active=True)
        for status, held_from in STARTS:
            case = Case(status=status, held_from_status=held_from, practice_id=1)
            for to in S.values:
                exists = lifecycle.is_valid_move(case, to)
                got = 409 if not exists else 200 if lifecycle.role_may_move(user, case, to) else 403
                want = expected(role, status, held_from, to)
                if got != want:
                    wrong.append(
                        f"{role}: {status}{'<' + held_from if held_from else ''} -> {to}: {got}, design {want}"
                    )
                if exists and lifecycle.role_may_move(stranger, case, to):
                    wrong.append(f"another practice's dentist: {status} -> {to} allowed")
            allowed = lifecycle.allowed_moves(user, case)
            designed = [to for to in S.values if expected(role, status, held_from, to) == 200]
            if allowed != designed:
                wrong.append(f"{role}: allowed_moves from {status}: {allowed}, design {designed}")
    assert wrong == [], "\n".join(wrong)


def test_the_lifecycle_module_asks_for_a_reason_exactly_where_the_table_does():
    asked = {(s, to) for s, _ in STARTS for to in S.values if lifecycle.reason_required(s, to)}
    assert asked & {(s, to) for s, _, to in MOVES} == NEEDS_REASON


# --- A sample of the cross product, through the API ------------------------------------------


def sample() -> list:
    cases = []
    for (status, held_from, to), allowed in MOVES.items():
        start = f"{status}{'<' + held_from if held_from else ''}->{to}"
        least = next(role for role in ROLES if role in allowed)
        cases.append(pytest.param(least, status, held_from, to, id=f"{least}:{start}"))
        refused = [role for role in ROLES if role not in allowed]
        if refused:
            cases.append(pytest.param(refused[-1], status, held_from, to, id=f"{refused[-1]}:{start}"))
    cases += [pytest.param(Role.ADMIN, S.RECEIVED, "", S.CANCELLED, id="admin:received->cancelled")]
    missing = [
        (role, status, held_from, to)
        for role in ROLES
        for status, held_from in STARTS
        for to in S.values
        if (status, held_from, to) not in MOVES
    ]
    for role, status, held_from, to in random.Random(10).sample(missing, 12):
        start = f"{status}{'<' + held_from if held_from else ''}->{to}"
        cases.append(pytest.param(role, status, held_from, to, id=f"{role}:{start}"))
    return cases


def make_actor(role, case):
    if role == Role.DENTIST:
        return DentistFactory(practice=case.practice)
    return {Role.ADMIN: AdminFactory, Role.MANAGER: ManagerFactory, Role.TECHNICIAN: TechnicianFactory}[role]()


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "status", "held_from", "to"), sample())
def test_a_sample_of_moves_over_the_api(client, role, status, held_from, to):
    case = CaseFactory(status=status, held_from_status=held_from)
    actor = make_actor(role, case)
    client.force_login(actor)
    response = client.post(
        f"/api/cases/{case.pk}/transition/", {"to": to, "note": "Reason"}, content_type="application/json"
    )
    outcome = expected(role, status, held_from, to)
    assert response.status_code == outcome, response.json()
    body = response.json()
    case.refresh_from_db()
    if outcome == 200:
        assert body["status"] == to == case.status
        assert case.held_from_status == (status if to == S.ON_HOLD else "")
        event = case.events.get(kind=EventKind.STATUS)
        assert (event.from_status, event.to_status, event.actor) == (status, to, actor)
        assert AuditEvent.objects.filter(action=AuditAction.CASE_TRANSITIONED, case_id=case.pk).count() == 1
    else:
        assert body["message"] and body["code"]
        assert (case.status, case.held_from_status) == (status, held_from)
        assert not case.events.exists()


def test_the_sample_has_each_outcome_and_every_move():
    outcomes = [expected(*param.values) for param in sample()]
    assert {outcomes.count(code) > 0 for code in (200, 403, 409)} == {True}
    assert {(p.values[1], p.values[2], p.values[3]) for p in sample()} >= set(MOVES)
    assert len(outcomes) < 70


# --- Reasons, holds, other practices, unknown targets -----------------------------------------

REASON_MOVES = sorted(NEEDS_REASON)


@pytest.mark.django_db
@pytest.mark.parametrize(("status", "to"), REASON_MOVES, ids=[f"{a}->{b}" for a, b in REASON_MOVES])
def test_a_move_that_needs_a_reason_is_refused_without_one(client, status, to):
    case = CaseFactory(status=status)
    manager = ManagerFactory()
    with pytest.raises(ValidationError) as exc:
        transition_case(case=case, to=to, actor=manager, note="   ")
    assert "note" in exc.value.message_dict
    client.force_login(manager)
    response = client.post(f"/api/cases/{case.pk}/transition/", {"to": to, "note": ""}, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["note"]
    case.refresh_from_db()
    assert case.status == status and not case.events.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("held_from", HOLDABLE)
def test_on_hold_returns_to_where_it_came_from(held_from):
    manager = ManagerFactory()
    case = CaseFactory(status=held_from)
    case = transition_case(case=case, to=S.ON_HOLD, actor=manager, note="Waiting for the dentist")
    assert lifecycle.allowed_moves(manager, case) == [held_from]
    case = transition_case(case=case, to=held_from, actor=manager)
    assert (case.status, case.held_from_status) == (held_from, "")


@pytest.mark.django_db
def test_the_other_practices_dentist_gets_404_and_a_role_refusal_from_the_service(client):
    case = CaseFactory(status=S.DRAFT)
    stranger = DentistFactory()
    client.force_login(stranger)
    response = client.post(f"/api/cases/{case.pk}/transition/", {"to": S.SUBMITTED}, content_type="application/json")
    assert response.status_code == 404
    with pytest.raises(TransitionForbidden):
        transition_case(case=case, to=S.SUBMITTED, actor=stranger)


@pytest.mark.django_db
@pytest.mark.parametrize("payload", [{}, {"to": "lost"}, {"to": ""}])
def test_an_unknown_target_is_a_400_naming_to(client, payload):
    case = CaseFactory(status=S.SUBMITTED)
    client.force_login(ManagerFactory())
    response = client.post(f"/api/cases/{case.pk}/transition/", payload, content_type="application/json")
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["to"]

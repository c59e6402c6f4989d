"""The case lifecycle (DESIGN §4): which moves exist, and which role may make each one.

Everything that moves a case asks this module; `services.transition_case` is the only writer.
"""

from accounts.models import Role
from cases.models import FINISHED_STATUSES, Status

S = Status

# The lifecycle's groups of statuses, spelled once. Finished (cases.models.FINISHED_STATUSES, beside
# Status because the partial indexes need it): nothing more is made for the case. Open: in the
# lab's hands (sent by the practice, not finished). Unfinished: open, or a draft with the dentist.
OPEN_STATUSES = tuple(s for s in S.values if s not in (*FINISHED_STATUSES, S.DRAFT))
UNFINISHED_STATUSES = tuple(s for s in S.values if s not in FINISHED_STATUSES)

TRANSITIONS: dict[str, frozenset[str]] = {
    S.DRAFT: frozenset({S.SUBMITTED, S.CANCELLED}),
    S.SUBMITTED: frozenset({S.RECEIVED, S.CANCELLED}),
    S.RECEIVED: frozenset({S.IN_DESIGN, S.IN_PRODUCTION, S.ON_HOLD, S.CANCELLED}),
    S.IN_DESIGN: frozenset({S.AWAITING_APPROVAL, S.IN_PRODUCTION, S.ON_HOLD}),
    S.AWAITING_APPROVAL: frozenset({S.IN_PRODUCTION, S.IN_DESIGN, S.ON_HOLD}),
    S.IN_PRODUCTION: frozenset({S.QUALITY_CHECK, S.ON_HOLD}),
    S.QUALITY_CHECK: frozenset({S.SHIPPED, S.IN_PRODUCTION}),
    S.SHIPPED: frozenset({S.DELIVERED}),
    S.ON_HOLD: frozenset(),  # back to the status it was held from: see next_statuses()
    S.DELIVERED: frozenset(),
    S.CANCELLED: frozenset(),
}

DENTIST_MOVES = frozenset(
    {
        (S.DRAFT, S.SUBMITTED),
        (S.DRAFT, S.CANCELLED),
        (S.SUBMITTED, S.CANCELLED),
        (S.AWAITING_APPROVAL, S.IN_PRODUCTION),  # approve the design
        (S.AWAITING_APPROVAL, S.IN_DESIGN),  # request changes
        (S.SHIPPED, S.DELIVERED),  # confirm receipt
    }
)

# Moves that must say why (the note becomes part of the timeline).
REASON_REQUIRED = frozenset(
    {
        (S.RECEIVED, S.CANCELLED),
        (S.AWAITING_APPROVAL, S.IN_DESIGN),
        (S.QUALITY_CHECK, S.IN_PRODUCTION),
    }
)
REASON_REQUIRED_TO = frozenset({S.ON_HOLD})

# Labels for buttons, from the point of view of who presses them.
MOVE_LABELS = {
    (S.DRAFT, S.SUBMITTED): "Submit to lab",
    (S.SUBMITTED, S.RECEIVED): "Mark received",
    (S.RECEIVED, S.IN_DESIGN): "Start design",
    (S.RECEIVED, S.IN_PRODUCTION): "Start production",
    (S.IN_DESIGN, S.AWAITING_APPROVAL): "Send design for approval",
    (S.IN_DESIGN, S.IN_PRODUCTION): "Start production",
    (S.AWAITING_APPROVAL, S.IN_PRODUCTION): "Approve design",
    (S.AWAITING_APPROVAL, S.IN_DESIGN): "Request changes",
    (S.IN_PRODUCTION, S.QUALITY_CHECK): "Send to quality check",
    (S.QUALITY_CHECK, S.SHIPPED): "Mark shipped",
    (S.QUALITY_CHECK, S.IN_PRODUCTION): "Send back for rework",
    (S.SHIPPED, S.DELIVERED): "Confirm delivery",
}


def next_statuses(status: str, held_from: str = "") -> frozenset[str]:
    """Where a case in `status` may go, whoever asks."""
    if status == S.ON_HOLD:
        return frozenset({held_from}) if held_from else frozenset()
    return TRANSITIONS.get(status, frozenset())


def is_valid_move(case, to: str) -> bool:
    return to in next_statuses(case.status, case.held_from_status)


def role_may_move(user, case, to: str) -> bool:
    """Whether this user's role allows the move (assuming the move exists)."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    move = (case.status, to)
    if user.role in (Role.ADMIN, Role.MANAGER):
        return True
    if user.role == Role.TECHNICIAN:
        # Every production move from receipt onward; never a submission or a cancellation.
        return case.status not in (S.DRAFT,) and to != S.CANCELLED
    if user.role == Role.DENTIST:
        return move in DENTIST_MOVES and case.practice_id == user.practice_id
    return False


def allowed_moves(user, case) -> list[str]:
    """The statuses this user may move this case to now, in lifecycle order."""
    order = list(S.values)
    return sorted(
        (to for to in next_statuses(case.status, case.held_from_status) if role_may_move(user, case, to)),
        key=order.index,
    )


def reason_required(from_status: str, to: str) -> bool:
    return (from_status, to) in REASON_REQUIRED or to in REASON_REQUIRED_TO


def move_label(from_status: str, to: str) -> str:
    if from_status == S.ON_HOLD:
        return f"Resume ({S(to).label.lower()})"
    if to == S.ON_HOLD:
        return "Put on hold"
    if to == S.CANCELLED:
        return "Cancel case"
    return MOVE_LABELS.get((from_status, to), S(to).label)

"""What cases' services raise when they refuse; each carries its HTTP status (dentallab.exceptions)."""

from dentallab.exceptions import Conflict, Forbidden


class TransitionNotAllowed(Conflict):
    """The move does not exist from the case's current status (HTTP 409)."""

    code = "transition_not_allowed"
    field = "to"

    def __init__(self, case, to):
        from cases.models import Status

        self.case, self.to = case, to
        current = Status(case.status).label
        target = Status(to).label if to in Status.values else to
        super().__init__(f"Case {case.number} is {current.lower()}; it cannot move to “{target}”.")


class TransitionForbidden(Forbidden):
    """The move exists but this user's role may not make it (HTTP 403)."""

    field = "to"


class CaseNotEditable(Forbidden):
    """The case may not be changed by this person now (HTTP 403): a dentist after receipt, anyone
    once it is shipped, delivered or cancelled."""

    code = "case_not_editable"

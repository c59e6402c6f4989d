"""What shipping's services raise when they refuse; each carries its HTTP status."""

from dentallab.exceptions import Conflict


class CaseCannotShip(Conflict):
    """A listed case is not waiting in quality check (HTTP 409, naming the case): nothing moves."""

    code = "transition_not_allowed"
    field = "cases"

    def __init__(self, case):
        self.case = case
        super().__init__(
            f"Case {case.number} is {case.get_status_display().lower()}; only cases that passed quality check "
            "can be shipped. Nothing was shipped."
        )

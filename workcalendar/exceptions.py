from dentallab.exceptions import Conflict


class ClosedDayInPast(Conflict):
    """A closed day that has passed is history: removing it would rewrite past due dates."""

    code = "closed_day_in_past"

"""What production's services raise when they refuse; each carries its HTTP status."""

from dentallab.exceptions import Conflict, Forbidden


class StepNotReady(Conflict):
    """Only a ready step can be started (409)."""

    code = "step_not_ready"


class StepNotInProgress(Conflict):
    """Only a step in progress can be finished (409)."""

    code = "step_not_in_progress"


class CaseNotWorkable(Conflict):
    """The case is on hold, cancelled or waiting for the dentist (409, with the reason)."""

    code = "case_not_workable"


class NotYourDepartment(Forbidden):
    code = "not_your_department"


class QCIncomplete(Conflict):
    """Leaving quality check for shipped needs every checklist item ticked (409)."""

    code = "qc_incomplete"
    field = "qc"

from dentallab.exceptions import AppError


class BadReportParameter(AppError):
    """A query parameter of a report is not valid: 400 naming it."""

    code = "invalid_parameter"

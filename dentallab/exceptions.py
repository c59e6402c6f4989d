"""Exceptions that carry their HTTP status, so apps raise and one handler answers.

Apps subclass these (`cases.exceptions.TransitionNotAllowed(Conflict)`) and give them a `code`
for programs and, when the error is about one input, the `field` it names. The API answers them
in the one error shape (dentallab/api_errors.py); pages show the message (a form error, a flash
message or the branded error page, dentallab/errors.py). This module imports no app.
"""


class AppError(Exception):
    """Bad input or a refused action: 400 unless a subclass says otherwise."""

    status_code = 400
    code = "invalid"

    def __init__(self, message: str, *, field: str | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        if field is not None:
            self.field = field
        if code is not None:
            self.code = code

    field: str | None = None

    @property
    def errors(self) -> dict[str, list[str]]:
        """Per-field messages for the error shape ({} when the error is about no field)."""
        return {self.field: [self.message]} if self.field else {}


class Forbidden(AppError):
    """Visible, but this person may not do it (403)."""

    status_code = 403
    code = "permission_denied"


class NotFound(AppError):
    """Not there, or not visible to this person (404: existence is never revealed)."""

    status_code = 404
    code = "not_found"


class Conflict(AppError):
    """The object's state does not allow it now (409): moved by someone else, not ready yet."""

    status_code = 409
    code = "conflict"


class Unavailable(AppError):
    """A dependency (database, storage, mail) is down: try again later (503)."""

    status_code = 503
    code = "service_unavailable"

"""What the files app raises when it refuses; each carries its HTTP status and code, so the API
(dentallab/api_errors.py) and the pages (dentallab/errors.py) answer them without a mapping of
their own."""

from dentallab.exceptions import AppError, Conflict, Forbidden, Unavailable


class UploadRejected(AppError):
    """A file that must not be stored (400, or 413 when it is too large). The message names the file
    and the reason; `field` names the input at fault (file, name, size, parts)."""

    code = "rejected"

    def __init__(self, name: str, reason: str, *, field: str = "file", status: int = 400):
        self.name, self.reason, self.status = name, reason, status
        super().__init__(f"“{name}” was not accepted: {reason}", field=field)
        self.status_code = status
        if status == 413:
            self.code = "too_large"

    def __str__(self) -> str:
        return self.message


class TooLarge(AppError):
    """The request body is over the app's upload limit (413), refused before a byte is read."""

    status_code = 413
    code = "too_large"
    field = "file"


class FileNotWritable(Forbidden):
    """Visible, but this person may not remove or complete this file (403)."""


class UploadNotPending(Conflict):
    """`complete` on a file that is no longer a pending direct upload: already available (409)."""

    code = "conflict"


class UploadBeingCompleted(Conflict):
    """Another `complete` of the same upload is checking it right now (409): wait for that one."""

    code = "upload_in_progress"


class StorageUnavailable(Unavailable):
    """Storage failed while a complete checked the upload: the upload stays pending, retry (503)."""

    code = "service_unavailable"

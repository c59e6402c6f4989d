"""One shape for every API error (DESIGN §8): a human-readable `detail`, a machine `code`, and
for validation errors the per-field messages under `errors`.

    {"detail": "email: This field is required.", "code": "invalid",
     "errors": {"email": ["This field is required."]}}
"""

from rest_framework import exceptions
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler as drf_exception_handler


def _first_message(errors) -> str:
    if isinstance(errors, dict):
        for field, value in errors.items():
            message = _first_message(value)
            if message:
                return message if field == api_settings.NON_FIELD_ERRORS_KEY else f"{field}: {message}"
        return ""
    if isinstance(errors, list):
        for value in errors:
            message = _first_message(value)
            if message:
                return message
        return ""
    return str(errors)


def exception_handler(exc, context):
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = (
            response.data if isinstance(response.data, dict) else {api_settings.NON_FIELD_ERRORS_KEY: response.data}
        )
        response.data = {
            "detail": _first_message(errors) or "The request is not valid.",
            "code": "invalid",
            "errors": errors,
        }
    elif isinstance(response.data, dict) and "detail" in response.data:
        response.data.setdefault("code", getattr(response.data["detail"], "code", None) or exc.default_code)
    return response

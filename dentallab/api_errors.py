"""One shape for every API error (DESIGN §8):

    {"message": "items[1].teeth: 19 is not a valid FDI tooth number…",
     "detail": "(the same sentence, for DRF-style clients)",
     "code": "invalid",
     "errors": {"items[1].teeth": ["19 is not a valid FDI tooth number…"]}}

`message` (and its twin `detail`) is a sentence for people: for invalid input, the first field's
first message. `code` is for programs (invalid, permission_denied, not_found,
not_authenticated, transition_not_allowed…). `errors` maps each invalid field to its messages,
nested fields flattened to paths ("items[1].teeth"); it is {} for errors about no field.
Exceptions raised by services are mapped here, so views stay thin: any
`dentallab.exceptions.AppError` → its own status and code (409 for a move the lifecycle refuses,
…), Django's ValidationError → 400, PermissionDenied → 403, Http404 → 404. This module imports no
app: apps raise exceptions that say what they are.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from dentallab.exceptions import AppError

VALIDATION_MESSAGE = "The request is not valid."
NON_FIELD = "non_field_errors"


def _path(prefix: str, key: str) -> str:
    if key in ("__all__", NON_FIELD):
        return prefix or NON_FIELD  # errors of a nested object as a whole belong to its path
    return f"{prefix}.{key}" if prefix else key


def _flatten(detail, prefix="") -> dict[str, list[str]]:
    """DRF/Django error structures → {"path": ["message", ...]}."""
    out: dict[str, list[str]] = {}
    if isinstance(detail, dict):
        for key, value in detail.items():
            for path, messages in _flatten(value, _path(prefix, str(key))).items():
                out.setdefault(path, []).extend(messages)
    elif isinstance(detail, (list, tuple)):
        if all(not isinstance(item, (dict, list, tuple)) for item in detail):
            if detail:
                out[prefix or NON_FIELD] = [str(item) for item in detail]
        else:
            for index, item in enumerate(detail):
                if item:
                    for path, messages in _flatten(item, f"{prefix}[{index}]").items():
                        out.setdefault(path, []).extend(messages)
    elif detail is not None:
        out[prefix or NON_FIELD] = [str(detail)]
    return out


def _django_validation_errors(exc: DjangoValidationError) -> dict[str, list[str]]:
    if hasattr(exc, "error_dict"):
        return _flatten(exc.message_dict)
    return {NON_FIELD: list(exc.messages)}


def _body(message: str, code: str, errors: dict | None = None) -> dict:
    return {"message": message, "detail": message, "code": code, "errors": errors or {}}


def error_response(message: str, code: str, status_code: int, errors: dict | None = None) -> Response:
    """An error answered by a view itself, in the same shape as the handler's."""
    return Response(_body(message, code, errors), status=status_code)


def _validation_message(errors: dict[str, list[str]]) -> str:
    for field, messages in errors.items():
        if messages:
            return messages[0] if field == NON_FIELD else f"{field}: {messages[0]}"
    return VALIDATION_MESSAGE


def exception_handler(exc, context):
    if isinstance(exc, AppError):
        return Response(_body(exc.message, exc.code, exc.errors), status=exc.status_code)
    if isinstance(exc, DjangoValidationError):
        errors = _django_validation_errors(exc)
        return Response(_body(_validation_message(errors), "invalid", errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied) and exc.args:
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        response.data = _body(_validation_message(errors), "invalid", errors)
    else:
        detail = response.data.get("detail", response.data) if isinstance(response.data, dict) else response.data
        message = str(detail) if not isinstance(detail, (dict, list)) else str(exc)
        code = getattr(detail, "code", None) or getattr(exc, "default_code", "error")
        if isinstance(response.data, dict) and isinstance(response.data.get("code"), str):
            code = response.data["code"]  # e.g. simplejwt's token_not_valid
        response.data = _body(message, code)
    return response

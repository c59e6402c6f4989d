"""One shape for every API error (DESIGN §8):

    {"message": "A human-readable sentence.", "errors": {"field": ["What is wrong with it."]}}

`errors` is empty unless the request had invalid fields; nested fields are flattened to dotted
paths ("items[1].teeth"). Exceptions raised by services are mapped here, so views stay thin:
Django's ValidationError → 400, PermissionDenied → 403, Http404 → 404, TransitionNotAllowed →
409.
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from cases.services import TransitionNotAllowed

VALIDATION_MESSAGE = "Some fields need attention."
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


def _body(message: str, errors: dict | None = None) -> dict:
    return {"message": message, "errors": errors or {}}


def _validation_message(errors: dict[str, list[str]]) -> str:
    if len(errors) == 1:
        (field, messages), *_ = errors.items()
        if field == NON_FIELD:
            return messages[0]
        return f"{field}: {messages[0]}"
    return VALIDATION_MESSAGE


def exception_handler(exc, context):
    if isinstance(exc, TransitionNotAllowed):
        return Response(_body(str(exc), {"to": [str(exc)]}), status=status.HTTP_409_CONFLICT)
    if isinstance(exc, DjangoValidationError):
        errors = _django_validation_errors(exc)
        return Response(_body(_validation_message(errors), errors), status=status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PermissionDenied) and exc.args:
        exc = exceptions.PermissionDenied(str(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("Not found.")

    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        errors = _flatten(exc.detail)
        response.data = _body(_validation_message(errors), errors)
    else:
        detail = response.data.get("detail", response.data) if isinstance(response.data, dict) else response.data
        response.data = _body(str(detail) if not isinstance(detail, (dict, list)) else str(exc))
    return response

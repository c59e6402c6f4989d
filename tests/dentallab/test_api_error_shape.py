"""dentallab.api_errors: every API error has one JSON shape, and services' exceptions map to statuses."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions

from cases.models import Case
from cases.services import TransitionNotAllowed
from dentallab.api_errors import exception_handler


def handle(exc):
    response = exception_handler(exc, {})
    return response.status_code, response.data


def test_drf_field_errors_name_the_field_and_the_first_becomes_the_message():
    status, body = handle(exceptions.ValidationError({"teeth": ["18 is not valid."], "shade": ["Unknown shade."]}))
    assert status == 400
    assert body == {
        "message": "teeth: 18 is not valid.",
        "detail": "teeth: 18 is not valid.",
        "code": "invalid",
        "errors": {"teeth": ["18 is not valid."], "shade": ["Unknown shade."]},
    }


def test_nested_errors_are_flattened_to_paths():
    _, body = handle(exceptions.ValidationError({"items": [{}, {"quantity": ["Must be at least 1."]}]}))
    assert body["errors"] == {"items[1].quantity": ["Must be at least 1."]}
    assert body["message"] == "items[1].quantity: Must be at least 1."


def test_errors_of_no_field_read_as_plain_sentences():
    _, body = handle(exceptions.ValidationError(["The due date is before the received date."]))
    assert body["message"] == "The due date is before the received date."
    assert body["errors"] == {"non_field_errors": ["The due date is before the received date."]}


def test_a_services_validation_error_is_a_400_naming_the_field():
    status, body = handle(ValidationError({"note": ["Say why."]}))
    assert (status, body["errors"], body["code"]) == (400, {"note": ["Say why."]}, "invalid")
    status, body = handle(ValidationError("Plain problem."))
    assert (status, body["errors"]) == (400, {"non_field_errors": ["Plain problem."]})


@pytest.mark.parametrize(
    ("exc", "status", "code"),
    [
        (PermissionDenied("Dentists create cases for their own practice."), 403, "permission_denied"),
        (PermissionDenied(), 403, "permission_denied"),
        (Http404("No Case matches the given query."), 404, "not_found"),
        (exceptions.NotAuthenticated(), 401, "not_authenticated"),
    ],
)
def test_other_errors_keep_a_message_and_gain_a_code(exc, status, code):
    got_status, body = handle(exc)
    assert (got_status, body["code"], body["errors"]) == (status, code, {})
    assert body["message"] == body["detail"] and body["message"]
    assert "Case matches" not in body["message"]  # a 404 says nothing about what exists


def test_a_move_that_does_not_exist_is_a_409():
    case = Case(number="2026-00001", status="delivered")
    status, body = handle(TransitionNotAllowed(case, "in_production"))
    assert status == 409 and body["code"] == "transition_not_allowed"
    assert "2026-00001" in body["message"] and "to" in body["errors"]

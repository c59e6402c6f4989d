"""API errors share one JSON shape: a human `message` (and `detail`), a `code`, and per-field `errors`."""

from rest_framework import exceptions

from dentallab.api_errors import exception_handler


def handle(exc):
    return exception_handler(exc, {}).data


def test_field_errors_keep_their_fields_and_the_first_one_becomes_the_message():
    body = handle(exceptions.ValidationError({"teeth": ["18 is not a valid tooth."], "shade": ["Unknown shade."]}))
    assert body["detail"] == "teeth: 18 is not a valid tooth."
    assert body["code"] == "invalid"
    assert body["errors"]["shade"] == ["Unknown shade."]


def test_errors_that_belong_to_no_field_read_as_plain_sentences():
    body = handle(exceptions.ValidationError(["The due date is before the received date."]))
    assert body["detail"] == "The due date is before the received date."
    assert body["errors"] == {"non_field_errors": ["The due date is before the received date."]}


def test_nested_errors_are_found():
    body = handle(exceptions.ValidationError({"items": [{}, {"quantity": ["Must be at least 1."]}]}))
    assert body["detail"] == "items[1].quantity: Must be at least 1."
    assert body["errors"] == {"items[1].quantity": ["Must be at least 1."]}


def test_other_errors_keep_their_message_and_gain_a_code():
    assert handle(exceptions.PermissionDenied()) == {
        "message": "You do not have permission to perform this action.",
        "detail": "You do not have permission to perform this action.",
        "code": "permission_denied",
        "errors": {},
    }
    assert handle(exceptions.NotFound())["code"] == "not_found"

"""Schemathesis against /api/schema/: every operation, as every role, with generated (and
mutated) input. No answer may be a 5xx, and every answer must match the schema it documents.

Bounded: a few examples per operation and role (FUZZ_EXAMPLES, default 6), so it stays fast in CI;
raise it locally for a deeper run: FUZZ_EXAMPLES=200 pytest tests/dentallab/test_api_fuzz.py
"""

import itertools
import json
import os

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.serializers.json import DjangoJSONEncoder
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.factories import (
    AdminFactory,
    CaseFactory,
    CaseItemFactory,
    DentistFactory,
    ManagerFactory,
    TechnicianFactory,
)

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))
CSRF = "fuzzcsrftokenfuzzcsrftoken012345"  # 32 characters: an unmasked CSRF secret

ROLE_FACTORIES = {
    "admin": AdminFactory,
    "manager": ManagerFactory,
    "technician": TechnicianFactory,
    "dentist": DentistFactory,
}


def load_schema():
    """The schema /api/schema/ serves (drf-spectacular's generator, no request needed), with the
    app attached: requests go to Django in-process through WSGI, the whole middleware stack."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(json.dumps(generated, cls=DjangoJSONEncoder)))
    loaded.app = WSGIHandler()
    return loaded


schema = load_schema()


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """Requests go through Django's real WSGI handler, whose request_started/finished signals
    close "obsolete" connections: inside the test's transaction that is the test's own
    connection. Django's test client turns this off the same way."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture(params=list(ROLE_FACTORIES))
def signed_in(request, db):
    """(headers, ids of real cases) for a signed-in user of the role under test."""
    user = ROLE_FACTORIES[request.param]()
    dentist = user if user.role == "dentist" else DentistFactory()
    cases = [CaseFactory(dentist=dentist, status=status) for status in ("draft", "submitted", "received")]
    for case in cases:
        CaseItemFactory(case=case)
    client = Client()
    client.force_login(user)
    cookie = f"sessionid={client.cookies['sessionid'].value}; csrftoken={CSRF}"
    return {"Cookie": cookie, "X-CSRFToken": CSRF}, itertools.cycle([case.pk for case in cases] + [None])


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_never_answers_5xx_and_matches_its_schema(case, signed_in):
    headers, real_ids = signed_in
    if "id" in (case.path_parameters or {}):
        real = next(real_ids)
        if real is not None:  # mostly real objects, sometimes whatever was generated
            case.path_parameters["id"] = real
    case.call_and_validate(
        base_url="http://testserver",
        headers=headers,
        checks=[not_a_server_error, response_schema_conformance, content_type_conformance],
    )

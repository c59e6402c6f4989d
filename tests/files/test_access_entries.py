"""The files rows of the access matrix, run here for every signed-in role (the full walker with
JWT and anonymous callers lives on main: tests/access_matrix.py)."""

import json
from dataclasses import dataclass, field

import pytest
from django.test import Client
from django.urls import reverse

from tests.factories import AdminFactory, DentistFactory, ManagerFactory, PracticeFactory, TechnicianFactory
from tests.files.access_entries import files_access

SIGNED_IN_ROLES = ("admin", "manager", "technician", "dentist", "other_dentist")


@dataclass
class Check:
    expect: dict
    method: str = "get"
    kwargs: object = None
    data: object = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def roles(**statuses):
    return statuses


@dataclass
class World:
    practice: object
    other_practice: object
    users: dict


ROWS = [
    (name, index, role)
    for name, checks in files_access(Check, roles).items()
    for index in range(len(checks))
    for role in SIGNED_IN_ROLES
]


@pytest.mark.parametrize(("name", "index", "role"), ROWS)
def test_each_role_gets_the_status_the_matrix_promises(name, index, role, db):
    practice, other = PracticeFactory(), PracticeFactory()
    world = World(
        practice=practice,
        other_practice=other,
        users={
            "admin": AdminFactory(),
            "manager": ManagerFactory(),
            "technician": TechnicianFactory(),
            "dentist": DentistFactory(practice=practice),
            "other_dentist": DentistFactory(practice=other),
        },
    )
    check = files_access(Check, roles)[name][index]
    url = reverse(name, kwargs=check.kwargs(world) if check.kwargs else None)
    client = Client()
    client.force_login(world.users[role])
    if check.method == "post":
        response = client.post(url, json.dumps(check.data(world)), content_type="application/json")
    else:
        response = client.get(url)
    assert response.status_code == check.expect[role], getattr(response, "content", b"")[:300]

import pytest

from tests.reports.helpers import build_period


@pytest.fixture
def period(db):
    return build_period()


@pytest.fixture
def api(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user

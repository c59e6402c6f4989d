import pytest

from tests.reports.helpers import build_period


@pytest.fixture(autouse=True)
def monday_to_friday(settings):
    """The hand-worked figures count Monday to Friday in November 2026: a calendar with no public
    holiday that month (GB; the US has Veterans Day and Thanksgiving)."""
    settings.LAB_HOLIDAYS_COUNTRY = "GB"
    settings.LAB_HOLIDAYS_SUBDIV = ""


@pytest.fixture
def period(db):
    return build_period()


@pytest.fixture
def api(client):
    def as_user(user):
        client.force_login(user)
        return client

    return as_user

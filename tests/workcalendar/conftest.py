import pytest
from rest_framework.test import APIClient

from tests.factories import AdminFactory, DentistFactory, ManagerFactory, PracticeFactory, TechnicianFactory


class People:
    def __init__(self):
        self.practice = PracticeFactory(name="Bright Smile Dental")
        self.admin = AdminFactory()
        self.manager = ManagerFactory(name="Morgan Manager")
        self.technician = TechnicianFactory(name="Taylor Technician")
        self.dentist = DentistFactory(practice=self.practice)


@pytest.fixture
def people(db):
    return People()


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for

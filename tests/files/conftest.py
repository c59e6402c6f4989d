import pytest
from django.test import Client

from tests.factories import CaseFactory, DentistFactory, ManagerFactory, TechnicianFactory


@pytest.fixture
def dentist(db):
    return DentistFactory(name="Dr. Ada Molar")


@pytest.fixture
def other_dentist(db):
    return DentistFactory(name="Dr. Other Practice")


@pytest.fixture
def technician(db):
    return TechnicianFactory(name="Tess Technician")


@pytest.fixture
def manager(db):
    return ManagerFactory()


@pytest.fixture
def case(dentist):
    return CaseFactory(dentist=dentist)


@pytest.fixture
def client_for():
    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make

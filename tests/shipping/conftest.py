import pytest
from rest_framework.test import APIClient

from cases.models import Status
from shipping.models import Courier
from tests.factories import CaseFactory, DentistFactory, ManagerFactory, PracticeFactory, TechnicianFactory


class Lab:
    def __init__(self):
        self.practice = PracticeFactory(name="Bright Smile Dental", address="12 Harbour Street\nSpringfield, IL 62701")
        self.other_practice = PracticeFactory(name="Riverside Family Dentistry", address="480 River Road")
        self.dentist = DentistFactory(practice=self.practice, name="Dr. Sarah Smith")
        self.other_dentist = DentistFactory(practice=self.other_practice, name="Dr. David Jones")
        self.manager = ManagerFactory(name="Morgan Manager")
        self.technician = TechnicianFactory(name="Taylor Technician")
        self.ups = Courier.objects.create(
            name="UPS", tracking_url_template="https://www.ups.com/track?tracknum={tracking}"
        )
        self.driver = Courier.objects.create(name="Lab driver", is_lab_driver=True)

    def case(self, status=Status.QUALITY_CHECK, practice=None, **fields):
        practice = practice or self.practice
        dentist = self.dentist if practice == self.practice else self.other_dentist
        return CaseFactory(practice=practice, dentist=dentist, status=status, **fields)


@pytest.fixture
def lab(db):
    return Lab()


@pytest.fixture
def api():
    def client_for(user):
        client = APIClient()
        client.force_authenticate(user)
        return client

    return client_for

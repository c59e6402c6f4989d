"""A courier's tracking page must say where the number goes ({tracking})."""

import pytest
from django.core.exceptions import ValidationError

from shipping.models import Courier
from shipping.services import save_courier
from tests.factories import AdminFactory, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


def test_a_template_without_the_placeholder_is_refused_naming_the_field():
    with pytest.raises(ValidationError) as exc:
        save_courier(
            actor=ManagerFactory(), courier=Courier(name="GLS", tracking_url_template="https://gls.test/track")
        )
    assert "Put {tracking} where the tracking number goes" in exc.value.message_dict["tracking_url_template"][0]
    assert not Courier.objects.exists()


def test_a_template_that_is_not_a_web_address_is_refused():
    with pytest.raises(ValidationError) as exc:
        save_courier(actor=ManagerFactory(), courier=Courier(name="GLS", tracking_url_template="javascript:{tracking}"))
    assert "http:// or https://" in exc.value.message_dict["tracking_url_template"][0]


def test_a_good_template_is_saved_and_technicians_cannot_manage_couriers():
    courier = save_courier(
        actor=ManagerFactory(), courier=Courier(name="GLS", tracking_url_template="https://gls.test/t/{tracking}")
    )
    assert courier.tracking_url("ABC 1") == "https://gls.test/t/ABC%201"
    with pytest.raises(Exception, match="managers and admins"):
        save_courier(
            actor=TechnicianFactory(), courier=Courier(name="DPD", tracking_url_template="https://d.test/{tracking}")
        )


def test_django_admin_refuses_a_template_without_the_placeholder(client):
    client.force_login(AdminFactory())
    response = client.post(
        "/admin/shipping/courier/add/", {"name": "GLS", "tracking_url_template": "https://gls.test/x", "active": "on"}
    )
    assert response.status_code == 200 and b"Put {tracking} where the tracking number goes" in response.content
    assert not Courier.objects.exists()

import pytest
from django.core.management import CommandError, call_command

from accounts.models import Practice, Role, User

pytestmark = pytest.mark.django_db


def test_it_creates_the_demo_accounts_and_is_idempotent(settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    call_command("seed_demo", verbosity=0)
    assert Practice.objects.count() == 2
    roles = dict(User.objects.values_list("email", "role"))
    assert roles == {
        "admin@demo.dentallab.test": Role.ADMIN,
        "manager@demo.dentallab.test": Role.MANAGER,
        "tech@demo.dentallab.test": Role.TECHNICIAN,
        "dr.smith@brightsmile.test": Role.DENTIST,
        "dr.jones@riverside.test": Role.DENTIST,
    }
    smith = User.objects.get(email="dr.smith@brightsmile.test")
    assert smith.practice.name == "Bright Smile Dental"
    assert smith.check_password("dentallab-demo")
    assert User.objects.get(email="dr.jones@riverside.test").practice.name == "Riverside Family Dentistry"
    assert User.objects.get(role=Role.ADMIN).is_staff


def test_it_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="Refusing to load demo data"):
        call_command("seed_demo", verbosity=0)
    assert not User.objects.exists()
    call_command("seed_demo", "--force", verbosity=0)
    assert User.objects.count() == 5

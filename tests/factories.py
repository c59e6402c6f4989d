import factory

from accounts.models import Practice, Role, User

TEST_PASSWORD = "correct horse battery staple"


class PracticeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Practice

    name = factory.Sequence(lambda n: f"Practice {n} Dental")
    account_number = factory.Sequence(lambda n: f"ACC-{n:05d}")
    email = factory.Sequence(lambda n: f"office{n}@practice.test")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@lab.test")
    name = factory.Faker("name")
    role = Role.TECHNICIAN
    password = factory.PostGenerationMethodCall("set_password", TEST_PASSWORD)

    @factory.post_generation
    def _save(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class AdminFactory(UserFactory):
    role = Role.ADMIN
    is_superuser = True


class ManagerFactory(UserFactory):
    role = Role.MANAGER


class TechnicianFactory(UserFactory):
    role = Role.TECHNICIAN


class DentistFactory(UserFactory):
    role = Role.DENTIST
    practice = factory.SubFactory(PracticeFactory)
    email = factory.Sequence(lambda n: f"dr{n}@practice.test")

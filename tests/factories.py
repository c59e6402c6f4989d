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


# ---- cases and files (added by the files branch) ---------------------------------------------


class CaseFactory(factory.django.DjangoModelFactory):
    """A case of a dentist's practice, numbered outside the yearly sequence (tests only)."""

    class Meta:
        model = "cases.Case"

    number = factory.Sequence(lambda n: f"T-{n:05d}")
    dentist = factory.SubFactory(DentistFactory)
    practice = factory.SelfAttribute("dentist.practice")
    patient_name = factory.Sequence(lambda n: f"Chart {n}")
    status = "submitted"


class CaseFileFactory(factory.django.DjangoModelFactory):
    """An available file row (the object itself is the test's business)."""

    class Meta:
        model = "files.CaseFile"

    case = factory.SubFactory(CaseFactory)
    kind = "scan"
    original_name = factory.Sequence(lambda n: f"scan-{n}.stl")
    object_key = factory.Sequence(lambda n: f"cases/test/{n:08d}/scan.stl")
    size = 134
    content_type = "model/stl"
    uploaded_by = factory.SelfAttribute("case.dentist")
    state = "available"

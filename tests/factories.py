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


# ---- cases (cases-api) -------------------------------------------------------------------------


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.Product"
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"P{n:04d}")
    name = factory.Sequence(lambda n: f"Zirconia crown {n}")
    category = "crown_bridge"
    default_material = "Zirconia"
    price = factory.Faker("pydecimal", left_digits=3, right_digits=2, positive=True, min_value=20, max_value=900)
    turnaround_days = 5


class CaseFactory(factory.django.DjangoModelFactory):
    """A case written straight to the table in any status (tests of reads and moves). Cases made
    the way users make them go through cases.services.create_case."""

    class Meta:
        model = "cases.Case"

    number = factory.Sequence(lambda n: f"2026-T{n:05d}")
    dentist = factory.SubFactory(DentistFactory)
    practice = factory.LazyAttribute(lambda case: case.dentist.practice)
    patient_name = factory.Sequence(lambda n: f"Patient {n}")
    status = "submitted"
    priority = "normal"
    # Straight to the table: ship-by is the due date (a practice with no transit days, a working
    # day). Tests of the working-day rule go through cases.services.
    due_date = None
    ship_by = factory.LazyAttribute(lambda case: case.due_date)


class CaseItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "cases.CaseItem"

    case = factory.SubFactory(CaseFactory)
    product = factory.SubFactory(ProductFactory)
    teeth = factory.LazyFunction(lambda: [11])
    shade = "A2"
    material = "Zirconia"
    quantity = 1
    unit_price = factory.LazyAttribute(lambda item: item.product.price)


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


# ---- traceability ------------------------------------------------------------------------------


class MaterialFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "traceability.Material"

    name = factory.Sequence(lambda n: f"Zirconia disc {n}")
    manufacturer = "Ceramics GmbH"
    category = "ceramic"
    country_of_origin = "Germany"


class LotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "traceability.Lot"

    material = factory.SubFactory(MaterialFactory)
    lot_number = factory.Sequence(lambda n: f"LOT-{n:05d}")
    expires_on = factory.LazyFunction(lambda: __import__("datetime").date(2099, 12, 31))
    status = "active"

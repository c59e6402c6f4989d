"""The fast `from_db` (dentallab/fastload.py): for every project model it was installed on, the
instance it builds is exactly the one `Model.__init__` builds; where that cannot be promised,
Django's own loading runs."""

import psycopg
import pytest
from django.db import connection, models
from django.db.backends.postgresql import psycopg_any
from django.db.models.signals import post_init
from django.test.utils import isolate_apps

from cases.models import Case
from dentallab import fastload
from tests.factories import CaseFactory, CaseItemFactory


def _instances(model, names, values):
    return fastload._django_from_db(model, "default", names, values), model.from_db("default", names, values)


def _state(instance):
    return {name: value for name, value in vars(instance).items() if name != "_state"}


def test_installed_on_every_project_model_whose_fields_allow_it():
    installed = {model for model in fastload.project_models() if model.from_db.__func__ is fastload.from_db}
    assert {model.__name__ for model in installed} >= {"Case", "CaseItem", "Product", "User", "Practice", "Lot"}
    assert installed == {model for model in fastload.project_models() if fastload.is_eligible(model)}


@pytest.mark.parametrize("model", list(fastload.project_models()), ids=lambda model: model.__name__)
def test_the_same_instance_as_django_builds_with_every_field_and_with_some_deferred(model):
    if model.from_db.__func__ is not fastload.from_db:
        pytest.skip(f"{model.__name__} loads the Django way")
    fields = model._meta.concrete_fields
    names = [field.attname for field in fields]
    values = [f"value of {name}" for name in names]
    for chosen in (range(len(fields)), range(0, len(fields), 2)):
        loaded_names, loaded_values = [names[i] for i in chosen], [values[i] for i in chosen]
        django_made, fast_made = _instances(model, loaded_names, loaded_values)
        assert type(fast_made) is model
        assert _state(fast_made) == _state(django_made) == dict(zip(loaded_names, loaded_values, strict=True))
        assert (fast_made._state.adding, fast_made._state.db) == (False, "default")
        assert fast_made.get_deferred_fields() == django_made.get_deferred_fields()


@pytest.mark.django_db
def test_loaded_instances_behave_as_django_s():
    case = CaseFactory(patient_name="Ada Lovelace")
    CaseItemFactory(case=case)

    loaded = Case.objects.only("number", "practice").select_related("practice").get(pk=case.pk)
    assert loaded.get_deferred_fields() >= {"patient_name", "status"}
    assert loaded.patient_name == "Ada Lovelace"  # a deferred field still loads on access
    assert loaded.practice.name == case.practice.name
    assert [item.case_id for item in loaded.items.all()] == [case.pk]

    loaded.patient_name = "A. Lovelace"
    loaded.save(update_fields=["patient_name"])  # not "adding": an UPDATE, not an INSERT
    assert Case.objects.filter(pk=case.pk).values_list("patient_name", flat=True).get() == "A. Lovelace"
    assert Case.objects.count() == 1


@pytest.mark.django_db
def test_a_post_init_receiver_is_still_called():
    case = CaseFactory()
    seen = []

    def receiver(sender, instance, **kwargs):
        seen.append(instance.pk)

    post_init.connect(receiver, sender=Case)
    try:
        Case.objects.get(pk=case.pk)
    finally:
        post_init.disconnect(receiver, sender=Case)
    assert seen == [case.pk]


@isolate_apps("dentallab", attr_name="apps", kwarg_name="apps")
def test_models_it_cannot_promise_the_same_instance_for_are_not_eligible(apps=None):
    class IsolatedMeta:
        app_label = "dentallab"

    class Plain(models.Model):  # noqa: DJ008
        Meta = IsolatedMeta
        name = models.CharField(max_length=10)
        other = models.ForeignKey("self", null=True, on_delete=models.CASCADE)
        upload = models.FileField()

    class OwnInit(models.Model):  # noqa: DJ008
        Meta = IsolatedMeta

        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)

    class WithImage(models.Model):  # noqa: DJ008
        Meta = IsolatedMeta

        picture = models.ImageField()

    class OwnSetter(models.Model):  # noqa: DJ008
        Meta = IsolatedMeta

        name = models.CharField(max_length=10)

    OwnSetter.name = property(lambda self: "", lambda self, value: None)

    assert fastload.is_eligible(Plain)
    assert not fastload.is_eligible(OwnInit)
    assert not fastload.is_eligible(WithImage)
    assert not fastload.is_eligible(OwnSetter)


@pytest.mark.django_db
def test_timestamps_load_as_django_loads_them_parsed_by_psycopg_s_c_loader():
    if connection.vendor != "postgresql" or not fastload._C_PARSER_AVAILABLE:
        pytest.skip("PostgreSQL with psycopg's C module")
    connection.ensure_connection()
    oid = fastload._TIMESTAMPTZ_OID
    installed = connection.connection.adapters.get_loader(oid, psycopg.pq.Format.TEXT)
    assert issubclass(installed, fastload.TimestamptzLoader)
    assert installed.timezone is connection.timezone  # what Django compares when it opens a cursor
    django_loader = psycopg_any.register_tzloader  # Django's own, registered on a cursor of ours
    values = [
        "2026-12-07 15:20:31.123456+00",
        "2026-03-29 01:30:00+00",
        "1999-12-31 23:59:59.999999+00",
        "0044-03-15 12:00:00+00",
    ]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(["%s::timestamptz"] * len(values)), values)
        ours = cursor.fetchone()
        django_loader(connection.timezone, cursor.cursor)
        cursor.execute("SELECT " + ", ".join(["%s::timestamptz"] * len(values)), values)
        djangos = cursor.fetchone()
    assert ours == djangos
    assert [value.tzinfo for value in ours] == [value.tzinfo for value in djangos] == [connection.timezone] * 4


@pytest.mark.django_db
def test_a_case_s_timestamps_round_trip():
    case = CaseFactory()
    loaded = Case.objects.get(pk=case.pk)
    assert (loaded.created_at, loaded.updated_at) == (case.created_at, case.updated_at)
    assert loaded.created_at.tzinfo is connection.timezone

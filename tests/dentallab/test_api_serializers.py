"""dentallab.api_serializers.FastRepresentation sends exactly what DRF's own
Serializer.to_representation would, field for field (issue 10: less CPU, same JSON)."""

import datetime

import pytest
from django.utils import timezone
from rest_framework import serializers

from cases.models import Status
from dentallab.api_serializers import FastRepresentation
from tests.factories import CaseFactory, CaseItemFactory, ManagerFactory, TechnicianFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def drf_only(monkeypatch):
    """Every FastRepresentation serializer rendered by DRF's own code instead."""

    def turn_off():
        monkeypatch.setattr(FastRepresentation, "to_representation", serializers.Serializer.to_representation)

    return turn_off


@pytest.fixture
def cases():
    tech = TechnicianFactory()
    original = CaseFactory(status=Status.DELIVERED)
    remake = CaseFactory(
        status=Status.IN_PRODUCTION,
        remake_of=original,
        remake_reason="Open margin",
        assigned_technician=tech,
        due_date=datetime.date(2020, 1, 2),
        shade="A2",
    )
    CaseItemFactory(case=remake, teeth=[11, 21])
    CaseItemFactory(case=remake, teeth=[])
    CaseFactory(status=Status.SUBMITTED, practice=remake.practice, dentist=remake.dentist)  # no items, no technician
    return remake, tech


@pytest.mark.parametrize("who", ["manager", "technician", "dentist"])
def test_the_case_list_and_detail_json_are_drfs_own(client, cases, drf_only, who):
    remake, tech = cases
    user = {"manager": ManagerFactory, "technician": lambda: tech, "dentist": lambda: remake.dentist}[who]()
    client.force_login(user)
    paths = ["/api/cases/?page_size=100", f"/api/cases/{remake.pk}/"]
    fast = [client.get(path).json() for path in paths]
    drf_only()
    assert [client.get(path).json() for path in paths] == fast
    assert fast[1]["remake_of"] == remake.remake_of.number
    assert ("total" in fast[1]) is (who != "technician")


class Thing:
    def __init__(self, **attrs):
        self.__dict__.update(attrs)


class Inner(FastRepresentation, serializers.Serializer):
    name = serializers.CharField()


class Odd(FastRepresentation, serializers.Serializer):
    """Each way DRF reads a field: attribute chains (through None), methods, callables,
    dictionaries, defaults, missing optional fields, nested serializers."""

    plain = serializers.IntegerField()
    chain = serializers.CharField(source="inner.name", allow_null=True)
    called = serializers.CharField(source="method")
    whole = serializers.SerializerMethodField()
    nested = Inner(allow_null=True)
    many = Inner(many=True)
    optional = serializers.CharField(required=False)
    defaulted = serializers.CharField(default="the default")
    when = serializers.DateTimeField()

    def get_whole(self, obj) -> str:
        return type(obj).__name__


@pytest.mark.parametrize(
    "instance",
    [
        Thing(plain=1, inner=Thing(name="x"), method=lambda: "called", nested=Thing(name="n"), many=[Thing(name="a")],
              optional="here", defaulted="set", when=datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)),
        Thing(plain=2, inner=None, method=lambda: "again", nested=None, many=[], when=None),
        {"plain": 3, "inner": {"name": "from a dict"}, "method": "text", "nested": {"name": "d"}, "many": [],
         "when": datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC)},
    ],
)  # fmt: skip
def test_every_way_of_reading_a_field_gives_drfs_answer(instance, drf_only):
    fast = Odd(instance).data
    drf_only()
    assert Odd(instance).data == fast


class Viewer(FastRepresentation, serializers.Serializer):
    name = serializers.CharField()
    seen_by = serializers.SerializerMethodField()

    def get_seen_by(self, obj) -> str:
        return self.context["viewer"]


class Page(FastRepresentation, serializers.Serializer):
    one = Viewer()
    many = Viewer(many=True)


def test_serializers_of_a_class_share_no_request_state():
    """The plan is worked out once per class; nested serializers and method fields still read the
    context of the serializer being rendered, never that of an earlier one."""
    page = Thing(one=Thing(name="a"), many=[Thing(name="b")])
    for viewer in ("first", "second"):
        assert Page(page, context={"viewer": viewer}).data == {
            "one": {"name": "a", "seen_by": viewer},
            "many": [{"name": "b", "seen_by": viewer}],
        }


def test_fields_changed_on_an_instance_are_what_it_sends():
    serializer = Odd(Thing(plain=1, inner=None, method=lambda: "x", nested=None, many=[], when=None))
    for name in list(serializer.fields):
        if name != "plain":
            serializer.fields.pop(name)
    assert serializer.data == {"plain": 1}


def test_datetimes_follow_the_time_zone_current_when_rendered():
    moment = Thing(
        plain=1,
        inner=None,
        method=lambda: "x",
        nested=None,
        many=[],
        when=datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC),
    )
    assert Odd(moment).data["when"] == "2026-01-02T03:04:00Z"
    with timezone.override("Europe/Paris"):
        assert Odd(moment).data["when"] == "2026-01-02T04:04:00+01:00"


class Moments(FastRepresentation, serializers.Serializer):
    when = serializers.DateTimeField()
    formatted = serializers.DateTimeField(source="when", format="%Y-%m-%d %H:%M")
    zoned = serializers.DateTimeField(source="when", default_timezone=datetime.timezone(datetime.timedelta(hours=-5)))


PARIS = datetime.timezone(datetime.timedelta(hours=1))


@pytest.mark.parametrize(
    "when",
    [
        datetime.datetime(2026, 1, 2, 3, 4, tzinfo=datetime.UTC),
        datetime.datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=datetime.UTC),  # microseconds kept, as DRF keeps them
        datetime.datetime(2026, 7, 2, 23, 59, tzinfo=PARIS),  # another zone: converted to the current one
        datetime.datetime(2026, 1, 2, 3, 4),  # naive: made aware, as DRF does
        datetime.datetime(1, 1, 1, 0, 30, tzinfo=PARIS),  # DRF's own overflow error
        "2026-01-02T03:04:00Z",  # a string is sent as it is
        None,
    ],
    ids=["utc", "microseconds", "other-zone", "naive", "overflow", "string", "none"],
)
@pytest.mark.parametrize("zone", ["UTC", "America/Chicago"])
def test_datetimes_are_written_as_drf_writes_them(when, zone, drf_only):
    def render():
        with timezone.override(zone):
            try:
                return Moments(Thing(when=when)).data
            except serializers.ValidationError as error:
                return ("refused", error.detail)

    fast = render()
    drf_only()
    assert render() == fast

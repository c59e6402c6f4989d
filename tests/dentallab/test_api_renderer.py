"""dentallab.api_renderers.JSONRenderer writes the bytes DRF's JSONRenderer writes (orjson instead
of the json module: less CPU, same responses)."""

import dataclasses
import datetime
import decimal
import uuid
from collections import OrderedDict

import pytest
from django.utils.functional import lazy
from django.utils.safestring import mark_safe
from rest_framework import renderers
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from dentallab.api_renderers import JSONRenderer

PARIS = datetime.timezone(datetime.timedelta(hours=1))


@dataclasses.dataclass
class Point:
    x: int


def lazy_text():
    return lazy(lambda: "a lazy label", str)()


VALUES = {
    "empty": {},
    "scalars": {"none": None, "yes": True, "no": False, "int": -42, "big": 2**63 - 1, "text": "plain"},
    "unicode": {"text": 'Zahnärztin · 歯科 · 🦷 · "quoted" \\ back\\slash \n\t\x00\x1f', "é": "key"},
    "line separators": {"js": "a\u2028b\u2029c"},
    "floats": [0.1, 12.0, -0.0, 1.5e300, 123456789.123, 1e16, 3.14159],
    "decimals": [decimal.Decimal("12.50"), decimal.Decimal("0"), decimal.Decimal("-1.005")],
    "datetimes": [
        datetime.datetime(2026, 12, 7, 10, 30, tzinfo=datetime.UTC),
        datetime.datetime(2026, 12, 7, 10, 30, 5, 123456, tzinfo=PARIS),
        datetime.datetime(2026, 12, 7, 10, 30),
        datetime.date(2026, 12, 7),
        datetime.time(9, 15, 0, 500),
        datetime.timedelta(hours=3, seconds=1),
    ],
    "uuid": uuid.UUID("12345678-1234-5678-1234-567812345678"),
    "lazy and safe strings": [lazy_text(), mark_safe("<b>safe</b>")],
    "containers": {"tuple": (1, 2), "set": sorted({3, 1}), "ordered": OrderedDict(b=1, a=2), "nested": [[{"a": []}]]},
    "drf containers": ReturnDict({"results": ReturnList([{"id": 1}], serializer=None)}, serializer=None),
    "bytes": b"raw bytes",
    "generator": (n for n in range(3)),
    "dataclass": Point(1),
}


@pytest.mark.parametrize("name", VALUES)
def test_the_bytes_are_drfs(name):
    import copy

    value = VALUES[name]
    expected_input = list(value) if name == "generator" else value
    ours_input = (n for n in expected_input) if name == "generator" else copy.copy(value)
    try:
        expected = renderers.JSONRenderer().render(expected_input)
    except TypeError as error:  # DRF refuses it: so must we, with the same error
        with pytest.raises(TypeError, match=str(error)):
            JSONRenderer().render(ours_input)
        return
    assert JSONRenderer().render(ours_input) == expected


@pytest.mark.parametrize(
    "value",
    [{"huge": 2**70}, {1: "an int key"}, {"deep": [[[[{"x": 2**80}]]]]}],
    ids=["integer beyond 64 bits", "non-string key", "deep big integer"],
)
def test_what_orjson_refuses_is_written_by_drf(value):
    assert JSONRenderer().render(value) == renderers.JSONRenderer().render(value)


def test_an_indented_response_is_drfs():
    data = {"a": [1, {"b": None}]}
    accepted = "application/json; indent=4"
    assert JSONRenderer().render(data, accepted) == renderers.JSONRenderer().render(data, accepted)
    assert b"\n    " in JSONRenderer().render(data, accepted)


def test_none_is_an_empty_body():
    assert JSONRenderer().render(None) == b""


def test_small_floats_are_the_same_numbers():
    import json

    for value in (1e-05, 2.5e-07):
        assert json.loads(JSONRenderer().render({"v": value})) == {"v": value}


def test_it_is_the_apis_renderer():
    from rest_framework.settings import api_settings

    (renderer,) = api_settings.DEFAULT_RENDERER_CLASSES
    assert renderer is JSONRenderer

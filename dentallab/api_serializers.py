"""`FastRepresentation`: the same JSON as DRF's `Serializer.to_representation`, for less CPU.

DRF reads each field of each row through `Field.get_attribute`, which for every value asks
whether the object is a `Mapping` (an ABC check) and whether the value is a simple callable (an
`inspect` check), then walks a generator over the fields. On a list of 25 cases with their items
that is over a thousand field reads a request — a third of `GET /api/cases/`'s CPU.

The mixin works out once, in a plan (with `many=True` one serializer serves every row), how each
declared field is read: a plain field whose source is a chain of attributes is read with
`operator.attrgetter`; anything else (method fields, related fields, `source="*"`, a value that
turns out to be callable, a missing attribute) goes through the field's own `get_attribute`,
exactly as DRF does. Each value is still turned into JSON by the field's own `to_representation`,
so the declared fields stay the one description of what is sent (and of the OpenAPI schema).

DRF also builds every field of a serializer again for each serializer instance (a ModelSerializer
works its fields out from the model each time): for a page of cases that was a fifth of the
serialization. So the plan is worked out once per class, from a template instance, and shared by
every instance for the fields of the plain types in `_SHARED_FIELD_TYPES` without a default,
which read only their own options, never their parent serializer or the request. Every other
field (nested serializers, method fields, anything else) gets a copy of its own bound to the
instance, as DRF would give it, so what it reads from `self.context` is this request's. An
instance whose `fields` were built (and perhaps changed) before it renders is read through those
fields, exactly as before.
"""

import copy
import datetime
import decimal
import functools
import operator
import types

from rest_framework import fields, relations
from rest_framework.fields import Field, SkipField, empty
from rest_framework.relations import PKOnlyObject

_CALLABLE_TYPES = (types.FunctionType, types.MethodType, functools.partial)
# What model fields hold: never callable, so no need to ask (the isinstance check above is a
# fifth of the cost of a read).
_PLAIN_VALUE_TYPES = frozenset(
    {str, int, bool, float, decimal.Decimal, datetime.datetime, datetime.date, list, dict, type(None)}
)

# Exactly these types (not subclasses, which may read the request): one bound instance of each
# serves every serializer of a class.
_SHARED_FIELD_TYPES = frozenset(
    {
        fields.BooleanField,
        fields.CharField,
        fields.ChoiceField,
        fields.DateField,
        fields.DateTimeField,
        fields.DecimalField,
        fields.EmailField,
        fields.FloatField,
        fields.IntegerField,
        fields.JSONField,
        fields.ListField,
        fields.ReadOnlyField,
        fields.URLField,
        fields.UUIDField,
        relations.PrimaryKeyRelatedField,
        relations.SlugRelatedField,
    }
)


def _is_shared(field) -> bool:
    # A default is looked up through the root serializer (DRF skips it on a partial one).
    if type(field) not in _SHARED_FIELD_TYPES or field.default is not empty:
        return False
    inner = getattr(field, "child", None) or getattr(field, "pk_field", None)
    return inner is None or _is_shared(inner)


def _read_with_field(field):
    return field.get_attribute


def _read_plain(field):
    getter = operator.attrgetter(".".join(field.source_attrs))
    fallback = field.get_attribute

    def read(instance):
        try:
            value = getter(instance)
        except Exception:  # noqa: BLE001 — DRF's own handling (defaults, None, SkipField, errors)
            return fallback(instance)
        if type(value) not in _PLAIN_VALUE_TYPES and isinstance(value, _CALLABLE_TYPES):
            return fallback(instance)
        return value

    return read


def _plan_step(field):
    plain = type(field).get_attribute is Field.get_attribute and field.source_attrs and field.source != "*"
    reader = _read_plain(field) if plain else _read_with_field(field)
    # Only a related field's get_attribute may give a PKOnlyObject (whose pk may be None).
    may_give_pk_only = isinstance(field, relations.RelatedField)
    return field.field_name, reader, field.to_representation, may_give_pk_only


class FastRepresentation:
    # Mix in before `serializers.Serializer`/`ModelSerializer` (read side only). No docstring on
    # purpose: drf-spectacular would show an inherited one as the description of every
    # serializer that has none of its own.

    def _representation_plan(self):
        plan = self.__dict__.get("_fast_plan")
        if plan is None:
            if "fields" in self.__dict__:
                plan = [_plan_step(field) for field in self._readable_fields]
            else:
                plan = [self._instance_step(field, step) for field, step in type(self)._shared_plan()]
            self.__dict__["_fast_plan"] = plan
        return plan

    @classmethod
    def _shared_plan(cls):
        """[(template field, its plan step if every instance may share it, else None)]."""
        plan = cls.__dict__.get("_fast_shared_plan")
        if plan is None:
            plan = [(field, _plan_step(field) if _is_shared(field) else None) for field in cls()._readable_fields]
            cls._fast_shared_plan = plan
        return plan

    def _instance_step(self, field, shared_step):
        if shared_step is None:
            own = copy.deepcopy(field)  # a new, unbound field with the same arguments (DRF's way)
            own.bind(field.field_name, self)
            return _plan_step(own)
        if type(field) is fields.DateTimeField and not hasattr(field, "timezone"):
            # It follows the current time zone, which it looks up (thread-local) for every
            # value; the zone cannot change while this serializer renders: look it up once.
            pinned = copy.copy(field)
            pinned.timezone = field.default_timezone()
            return _plan_step(pinned)
        return shared_step

    def to_representation(self, instance):
        ret = {}
        for name, read, represent, may_give_pk_only in self._representation_plan():
            try:
                attribute = read(instance)
            except SkipField:
                continue
            if may_give_pk_only and isinstance(attribute, PKOnlyObject):
                ret[name] = None if attribute.pk is None else represent(attribute)
            else:
                ret[name] = None if attribute is None else represent(attribute)
        return ret

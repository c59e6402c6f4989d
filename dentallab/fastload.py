"""Model instances loaded from the database for less CPU: a `from_db` that fills the instance's
`__dict__` directly instead of running `Model.__init__`.

Django builds every row through `Model.__init__`: a `pre_init` signal, a `setattr` through each
field's descriptor, the foreign keys' `__set__` (which looks for a cached related object a new
instance cannot have), a `post_init` signal, and with `.only()` a list built by searching the
loaded names once per field. A page of 25 cases with their related rows builds ~180 instances:
a tenth of `GET /api/cases/`'s CPU (docs/performance.md, "Issue 10, fifth pass").

`from_db` is Django's documented hook for customising instance creation from the database
(https://docs.djangoproject.com/en/5.2/ref/models/instances/#customizing-model-loading). The one
here gives the instance exactly the `__dict__` `Model.__init__` would: the loaded values under
their attribute names (deferred fields left out, so they load on access) and a `ModelState` with
`adding=False` and `db` set. It is installed (`install`, from the project's AppConfig) only on
the project's own models where that equivalence holds, which is checked per model:

- the model defines neither `__init__` nor `from_db` of its own;
- every concrete field's attribute is a plain Django descriptor that stores the value as it is
  (`DeferredAttribute`, a file's `FileDescriptor`, or the foreign key's
  `ForeignKeyDeferredAttribute`, whose `__set__` only clears a cached related object); a field
  with another descriptor (an image's, which also sets its dimensions) keeps Django's way for
  the whole model;
- at each load, when any `pre_init` or `post_init` receiver listens to the model (as
  GenericForeignKey and ImageField do), Django's own `from_db` runs instead, so receivers are
  called as before.

tests/dentallab/test_fastload.py checks every installed model, full and deferred, against
Django's own `from_db`.

Timestamps: on PostgreSQL, Django reads every `timestamptz` through its own loader, a Python
subclass of psycopg's pure-Python one (2.4 µs a value), only to set the connection's time zone
as tzinfo. With psycopg's C module installed (psycopg[binary]) `TimestamptzLoader` below parses
with psycopg's C loader (0.1 µs) and sets the very same tzinfo: 125 timestamps of an API page
cost 0.24 ms instead of 0.46. It is registered on each new connection in place of Django's, with
the same `timezone` attribute Django compares when it opens a cursor.
"""

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import models
from django.db.backends.signals import connection_created
from django.db.models.base import ModelState
from django.db.models.fields.files import FileDescriptor
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute
from django.db.models.signals import post_init, pre_init

# Exactly these types: each one's __set__ (if any) stores the value in __dict__ as it is, or also
# drops a cached related object that a new instance cannot have.
_PLAIN_DESCRIPTORS = frozenset({DeferredAttribute, ForeignKeyDeferredAttribute, FileDescriptor})
_django_from_db = models.Model.from_db.__func__


def _descriptor(model, name):
    for klass in model.__mro__:
        if name in klass.__dict__:
            return klass.__dict__[name]
    return None


def is_eligible(model) -> bool:
    """Whether the fast load gives `model`'s instances exactly what `Model.__init__` would."""
    if model._meta.abstract or model._meta.proxy and not is_eligible(model._meta.concrete_model):
        return False
    if model.__init__ is not models.Model.__init__ or model.from_db.__func__ not in (_django_from_db, from_db):
        return False
    return all(type(_descriptor(model, field.attname)) in _PLAIN_DESCRIPTORS for field in model._meta.concrete_fields)


def _has_init_receivers(cls) -> bool:
    # An empty list of receivers answers at once; has_listeners() costs as much as the load.
    return (pre_init.receivers or post_init.receivers) and (pre_init.has_listeners(cls) or post_init.has_listeners(cls))


def from_db(cls, db, field_names, values):
    if _has_init_receivers(cls):
        return _django_from_db(cls, db, field_names, values)
    instance = cls.__new__(cls)
    state = ModelState()
    state.adding = False
    state.db = db
    attributes = instance.__dict__
    attributes["_state"] = state
    attributes.update(zip(field_names, values, strict=True))
    return instance


def project_models():
    """The models of the apps that live in this project (not Django's or a library's)."""
    base = str(settings.BASE_DIR)
    for app_config in apps.get_app_configs():
        if app_config.path.startswith(base + "/") and "site-packages" not in app_config.path:
            yield from app_config.get_models()


def install() -> list[type[models.Model]]:
    """Give each eligible project model the fast `from_db`; returns the models that got it."""
    installed = []
    for model in project_models():
        if is_eligible(model):
            model.from_db = classmethod(from_db)
            installed.append(model)
        elif model.from_db.__func__ is from_db:  # inherited from a parent model that is eligible
            model.from_db = classmethod(_django_from_db)
    return installed


# psycopg's own text loader of timestamptz: the C one when its C module is installed.
_TIMESTAMPTZ_OID = psycopg.adapters.types["timestamptz"].oid
_PSYCOPG_TIMESTAMPTZ_LOADER = psycopg.adapters.get_loader(_TIMESTAMPTZ_OID, psycopg.pq.Format.TEXT)
_C_PARSER_AVAILABLE = psycopg.pq.__impl__ in ("c", "binary")


class TimestamptzLoader(psycopg.adapt.Loader):
    """What Django's loader gives (psycopg's value with the connection's time zone as tzinfo),
    parsed by psycopg's C loader. Subclassed per time zone: `timezone` is what Django compares."""

    timezone = None

    def __init__(self, oid, context=None):
        super().__init__(oid, context)
        self._parse = _PSYCOPG_TIMESTAMPTZ_LOADER(oid, context).load

    def load(self, data):
        return self._parse(data).replace(tzinfo=self.timezone)


_loaders: dict = {}


def _loader_for(timezone) -> type[TimestamptzLoader]:
    if timezone not in _loaders:
        _loaders[timezone] = type("TimestamptzLoader", (TimestamptzLoader,), {"timezone": timezone})
    return _loaders[timezone]


def load_timestamps_in_c(sender, connection, **kwargs) -> None:
    """connection_created: replace Django's timestamptz loader on a new PostgreSQL connection."""
    if connection.vendor != "postgresql" or not _C_PARSER_AVAILABLE:
        return
    adapters = connection.connection.adapters
    django_loader = adapters.get_loader(_TIMESTAMPTZ_OID, psycopg.pq.Format.TEXT)
    if not hasattr(django_loader, "timezone"):
        return  # not Django's loader (a future Django may do this itself): leave it
    adapters.register_loader("timestamptz", _loader_for(django_loader.timezone))


def install_timestamp_loader() -> None:
    connection_created.connect(load_timestamps_in_c, dispatch_uid="dentallab-fastload-timestamptz")

"""Who gets what from every URL: the access matrix of DESIGN §3, as data.

`tests/access/test_url_access.py` walks Django's URL resolver and fails when a named URL (outside
Django admin) has no entry in `ACCESS` below, or when `ACCESS` names a URL that no longer
exists; then it requests every entry as every role and checks the status code.

Adding your URL
---------------
    ACCESS["cases:detail"] = [
        Check(
            # one status per role; see the shorthands below (every role must be given)
            expect=roles(anonymous=302, admin=200, manager=200, technician=200, dentist=200, other_dentist=404),
            # URL kwargs, built from the World (fresh for every request); create what you need here
            kwargs=lambda w: {"pk": CaseFactory(practice=w.practice).pk},
        ),
        Check(method="post", data=lambda w: {...}, expect=..., kwargs=..., note="why this check"),
    ]

Roles (`ROLES`): anonymous; admin; manager; technician; `dentist` — a dentist of
`w.practice`, the practice that owns the objects your kwargs build; `other_dentist` — a
dentist of `w.other_practice`, who must get 404 for those objects (never 403: existence does
not leak). Missing rights on an action (a role that may never do it) are 403.

Pages are requested with a signed-in session (anonymous: none); URLs under /api/ with a JWT
bearer token, and a POST body there is sent as JSON. `data` and `kwargs` are callables taking
the World, so they can create objects; a check runs once per role, each in a fresh database.

A URL that needs no entry (rare: say why) goes in `UNCHECKED` with the reason.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.tokens import default_token_generator
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework_simplejwt.tokens import RefreshToken

from tests.factories import (
    TEST_PASSWORD,
    AdminFactory,
    DentistFactory,
    ManagerFactory,
    PracticeFactory,
    TechnicianFactory,
)

ROLES = ("anonymous", "admin", "manager", "technician", "dentist", "other_dentist")


def roles(**statuses: int) -> dict[str, int]:
    missing = set(ROLES) - set(statuses)
    unknown = set(statuses) - set(ROLES)
    if missing or unknown:
        raise ValueError(f"give a status for every role; missing {sorted(missing)}, unknown {sorted(unknown)}")
    return statuses


def everyone(status: int, **overrides: int) -> dict[str, int]:
    return roles(**{**dict.fromkeys(ROLES, status), **overrides})


# Shorthands for the common rows of the matrix.
SIGNED_IN = everyone(200, anonymous=302)  # any signed-in person; anonymous visitors are sent to sign in
LAB_MANAGEMENT = roles(anonymous=302, admin=200, manager=200, technician=403, dentist=403, other_dentist=403)
LAB_MANAGEMENT_POST = roles(anonymous=302, admin=302, manager=302, technician=403, dentist=403, other_dentist=403)
ADMINS_ONLY = roles(anonymous=302, admin=200, manager=403, technician=403, dentist=403, other_dentist=403)
API_SIGNED_IN = everyone(200, anonymous=401)


@dataclass
class World:
    """What every check can build on: two practices, one user per role, and a colleague (a
    technician) to be managed."""

    practice: object
    other_practice: object
    users: dict
    colleague: object

    @classmethod
    def build(cls) -> "World":
        practice, other_practice = PracticeFactory(name="Own Practice"), PracticeFactory(name="Other Practice")
        users = {
            "admin": AdminFactory(),
            "manager": ManagerFactory(),
            "technician": TechnicianFactory(),
            "dentist": DentistFactory(practice=practice),
            "other_dentist": DentistFactory(practice=other_practice),
        }
        return cls(practice=practice, other_practice=other_practice, users=users, colleague=TechnicianFactory())


@dataclass
class Check:
    expect: dict[str, int]
    method: str = "get"
    kwargs: Callable[[World], dict] | None = None
    data: Callable[[World], dict] | None = None
    note: str = ""
    extra: dict = field(default_factory=dict)


def _uid(user) -> str:
    return urlsafe_base64_encode(force_bytes(user.pk))


def _reset_kwargs(w: World) -> dict:
    return {"uidb64": _uid(w.colleague), "token": default_token_generator.make_token(w.colleague)}


def _invite_data(w: World) -> dict:
    return {"name": "New Dentist", "email": "new.dentist@practice.test", "role": "dentist", "practice": w.practice.pk}


def _refresh(w: World) -> dict:
    return {"refresh": str(RefreshToken.for_user(w.colleague))}


ACCESS: dict[str, list[Check]] = {
    # --- Sign-in and passwords (accounts) ---
    "home": [Check(SIGNED_IN)],
    "login": [Check(everyone(302, anonymous=200), note="signed-in people are sent on to the dashboard")],
    "logout": [
        Check(everyone(302), method="post"),
        Check(everyone(405), note="signing out is a POST (a link cannot sign anyone out)"),
    ],
    "password_change": [Check(SIGNED_IN)],
    "password_reset": [Check(everyone(200))],
    "password_reset_done": [Check(everyone(200))],
    "password_reset_complete": [Check(everyone(200))],
    "password_reset_confirm": [
        Check(everyone(302), kwargs=_reset_kwargs, note="a valid link moves its token out of the URL"),
        Check(everyone(200), kwargs=lambda w: {"uidb64": _uid(w.colleague), "token": "bad-token"}),
    ],
    "invite_accept": [
        Check(everyone(302), kwargs=_reset_kwargs),
        Check(everyone(200), kwargs=lambda w: {"uidb64": "bad", "token": "bad-token"}),
    ],
    # --- Practices and users (managers and admins) ---
    "practice_list": [Check(LAB_MANAGEMENT)],
    "practice_create": [
        Check(LAB_MANAGEMENT),
        Check(LAB_MANAGEMENT_POST, method="post", data=lambda w: {"name": "Fresh Dental", "active": "on"}),
    ],
    "practice_edit": [
        Check(
            LAB_MANAGEMENT,
            kwargs=lambda w: {"pk": w.practice.pk},
            note="a dentist may not manage even their own practice",
        ),
        Check(
            LAB_MANAGEMENT_POST,
            method="post",
            kwargs=lambda w: {"pk": w.practice.pk},
            data=lambda w: {"name": "Renamed Dental", "active": "on"},
        ),
        Check(
            roles(anonymous=302, admin=404, manager=404, technician=403, dentist=403, other_dentist=403),
            kwargs=lambda w: {"pk": 987654},
            note="the role is checked before the object: a refused role learns nothing",
        ),
    ],
    "user_list": [Check(LAB_MANAGEMENT)],
    "user_invite": [Check(LAB_MANAGEMENT), Check(LAB_MANAGEMENT_POST, method="post", data=_invite_data)],
    "user_edit": [
        Check(LAB_MANAGEMENT, kwargs=lambda w: {"pk": w.colleague.pk}),
        Check(
            roles(anonymous=302, admin=200, manager=403, technician=403, dentist=403, other_dentist=403),
            kwargs=lambda w: {"pk": w.users["admin"].pk},
            note="only admins manage admins",
        ),
        Check(
            roles(anonymous=302, admin=404, manager=404, technician=403, dentist=403, other_dentist=403),
            kwargs=lambda w: {"pk": 987654},
        ),
    ],
    "user_deactivate": [
        Check(LAB_MANAGEMENT_POST, method="post", kwargs=lambda w: {"pk": w.colleague.pk}),
        Check(
            everyone(403, anonymous=302),
            method="post",
            kwargs=lambda w: {"pk": w.users["admin"].pk},
            note="managers cannot deactivate admins, and nobody deactivates themselves",
        ),
        Check(
            roles(anonymous=302, admin=405, manager=405, technician=403, dentist=403, other_dentist=403),
            kwargs=lambda w: {"pk": w.colleague.pk},
        ),
    ],
    "user_reactivate": [Check(LAB_MANAGEMENT_POST, method="post", kwargs=lambda w: {"pk": w.colleague.pk})],
    "user_unlock": [Check(LAB_MANAGEMENT_POST, method="post", kwargs=lambda w: {"pk": w.colleague.pk})],
    "user_resend_invite": [Check(LAB_MANAGEMENT_POST, method="post", kwargs=lambda w: {"pk": w.colleague.pk})],
    "audit_log": [Check(ADMINS_ONLY)],
    # --- API ---
    "health": [Check(everyone(200))],
    "api_me": [Check(API_SIGNED_IN)],
    "api_token": [
        Check(everyone(200), method="post", data=lambda w: {"email": w.colleague.email, "password": TEST_PASSWORD}),
        Check(everyone(401), method="post", data=lambda w: {"email": w.colleague.email, "password": "wrong"}),
        Check(everyone(405)),
    ],
    "api_token_refresh": [
        Check(everyone(200), method="post", data=_refresh),
        Check(everyone(401), method="post", data=lambda w: {"refresh": "not-a-token"}),
    ],
    "api_logout": [
        Check(everyone(200), method="post", data=_refresh, note="holding the refresh token is the right to revoke it"),
        Check(everyone(400), method="post", data=lambda w: {}),
    ],
}

# URL names that need no entry, each with the reason.
UNCHECKED: dict[str, str] = {}

# --- files app ---
from tests.files.access_entries import files_access  # noqa: E402

ACCESS.update(files_access(Check, roles))

# --- cases app ---
from tests.cases_access_entries import cases_access  # noqa: E402

ACCESS.update(cases_access(Check, roles))

# --- shipping and notifications apps, the task runner ---
from tests.notifications.access_entries import notifications_access  # noqa: E402
from tests.shipping.access_entries import shipping_access  # noqa: E402

ACCESS.update(shipping_access(Check, roles))
ACCESS.update(notifications_access(Check, roles))
# --- traceability app ---
from tests.traceability.access_entries import traceability_access  # noqa: E402

ACCESS.update(traceability_access(Check, roles))
# --- UI (issue 15) ---
ACCESS["favicon"] = [Check(everyone(301), note="the logo, for pages without <link rel=icon> (Django admin)")]
# --- production app ---
from tests.production.access_entries import production_access  # noqa: E402

ACCESS.update(production_access(Check, roles))
# --- working calendar ---
from tests.workcalendar.access_entries import workcalendar_access  # noqa: E402

ACCESS.update(workcalendar_access(Check, roles))
# --- reports app ---
from tests.reports.access_entries import reports_access  # noqa: E402

ACCESS.update(reports_access(Check, roles))
from tests.dataio.access_entries import dataio_access  # noqa: E402

ACCESS.update(dataio_access(Check, roles))
# --- billing app ---
from tests.billing.access_entries import billing_access  # noqa: E402

ACCESS.update(billing_access(Check, roles))

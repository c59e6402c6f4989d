"""`{% main_nav %}`: the header's links, for the signed-in user's flags (from
accounts.context_processors.permissions) with the current section marked.

Written in Python because the header is on every page: as template markup its twenty `{% url %}`
tags and forty `request.resolver_match` lookups cost about a millisecond of CPU a page; here each
URL is reversed once per process (dentallab.reversing) and a page costs a few dict reads.
Apps are named by their URL names only, so the project package still imports no app.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django import template
from django.utils.html import escape
from django.utils.safestring import mark_safe

from dentallab.reversing import reverse_once

register = template.Library()


@dataclass(frozen=True)
class Link:
    label: str
    url_name: str
    shown: Callable[[dict], bool]  # the user's permission flags → whether the link is shown
    active: Callable[[str, str], bool] | None  # (app name, URL name) of the page → marked active
    current_page: bool = False  # also aria-current="page" when active


def _flag(name: str) -> Callable[[dict], bool]:
    return lambda flags: bool(flags.get(name))


def _always(flags: dict) -> bool:
    return True


def _in_app(app: str, *, except_url: str | None = None) -> Callable[[str, str], bool]:
    return lambda app_name, url_name: app_name == app and url_name != except_url


def _url_in(*names: str, app: str = "") -> Callable[[str, str], bool]:
    return lambda app_name, url_name: app_name == app and url_name in names


LINKS = (
    Link("Dashboard", "home", _always, _url_in("home"), current_page=True),
    Link("Cases", "cases:list", _always, _in_app("cases", except_url="create")),
    Link("New case", "cases:create", _always, _url_in("create", app="cases")),
    # Technicians get their bench, the rest of the lab the board (one link, two names).
    Link(
        "My bench",
        "production:bench",
        lambda f: bool(f.get("is_lab_staff") and f.get("is_technician")),
        _in_app("production"),
    ),
    Link(
        "Floor",
        "production:board",
        lambda f: bool(f.get("is_lab_staff") and not f.get("is_technician")),
        _in_app("production"),
    ),
    Link("Materials", "traceability:lots", _flag("is_lab_staff"), _in_app("traceability")),
    Link(
        "Practices",
        "practice_list",
        _flag("can_manage_lab"),
        _url_in("practice_list", "practice_create", "practice_edit"),
    ),
    Link("Users", "user_list", _flag("can_manage_lab"), _url_in("user_list", "user_invite", "user_edit")),
    Link("Billing", "billing:home", _flag("can_see_prices"), _in_app("billing")),
    Link("Manifest", "shipping:manifest", _flag("is_lab_staff"), _in_app("shipping", except_url="pickups")),
    Link(
        "Pickups",
        "shipping:pickups",
        lambda f: bool(f.get("is_lab_staff") or f.get("is_dentist")),
        lambda app_name, url_name: url_name == "pickups",
    ),
    Link("Calendar", "workcalendar:calendar", _flag("is_lab_staff"), _in_app("workcalendar")),
    Link("Reports", "reports:page", _flag("can_manage_lab"), _in_app("reports")),
    Link("Import", "dataio:import", _flag("can_manage_lab"), _in_app("dataio")),
    Link("Audit log", "audit_log", _flag("can_view_audit_log"), _url_in("audit_log")),
    Link("Admin", "admin:index", _flag("can_use_django_admin"), None),
)


FLAGS = (
    "is_lab_staff",
    "is_technician",
    "is_dentist",
    "can_manage_lab",
    "can_see_prices",
    "can_view_audit_log",
    "can_use_django_admin",
)


def nav_links(flags: dict, app_name: str, url_name: str) -> list[tuple[Link, str, bool | None]]:
    """(link, URL, active) for each link these flags show, in the header's order; active is None
    for a link that is never marked (the Django admin: a different site)."""
    return [
        (link, escape(reverse_once(link.url_name)), link.active and link.active(app_name, url_name))
        for link in LINKS
        if link.shown(flags)
    ]


@register.simple_tag(takes_context=True)
def main_nav(context) -> str:
    request = context.get("request")
    match = getattr(request, "resolver_match", None)
    app_name = getattr(match, "app_name", "") or ""
    url_name = getattr(match, "url_name", "") or ""
    html = []
    for link, url, active in nav_links({name: context.get(name) for name in FLAGS}, app_name, url_name):
        attributes = "" if link.active is None else f' class="{"active" if active else ""}"'
        if active and link.current_page:
            attributes += ' aria-current="page"'
        html.append(f'<a href="{url}"{attributes}>{escape(link.label)}</a>')
    return mark_safe("\n      ".join(html))  # noqa: S308 — URLs and labels are escaped above

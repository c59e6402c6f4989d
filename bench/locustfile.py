"""Locust users for bench/load.py: signed-in people of every role doing what they do all day.

Run through bench/load.py (it prepares the database and the app server). By hand:
  .venv/bin/locust -f bench/locustfile.py --headless -u 50 -r 10 -t 60s --host http://127.0.0.1:8000 \
      TechnicianUser ManagerUser DentistUser AdminUser        # the app mix
  .venv/bin/locust -f bench/locustfile.py --headless ... BareUser   # the machine's ceiling

Paths of the pages can be changed with LOAD_CASE_LIST_PATH / LOAD_CASE_PAGE_PATH; endpoints the
app does not have yet are listed in LOAD_SKIP (comma-separated task names; bench/load.py probes).
Every response's status code is counted into LOAD_STATUS_FILE (JSON) so 5xx are reported apart
from expected refusals (a 409 on a move somebody else made first is the app working).
"""

import http.cookiejar
import json
import os
import random
import re
import urllib.parse
import urllib.request
from collections import Counter

from locust import FastHttpUser, between, events, task
from requests.cookies import create_cookie

PASSWORD = os.environ.get("LOAD_PASSWORD", "dentallab-demo")
CASE_LIST = os.environ.get("LOAD_CASE_LIST_PATH", "/cases/")
CASE_PAGE = os.environ.get("LOAD_CASE_PAGE_PATH", "/cases/{id}/")
SKIP = {name for name in os.environ.get("LOAD_SKIP", "").split(",") if name}
STATUS_FILE = os.environ.get("LOAD_STATUS_FILE")

# Think time between a user's requests, "min,max" seconds. A person clicking: 0.3-1.5 s (the
# realistic run); 0,0 for the saturation runs that compare the app with the bare view.
WAIT = tuple(float(x) for x in os.environ.get("LOAD_WAIT", "0.3,1.5").split(","))
STATUS_COUNTS: Counter = Counter()
SLOW_5XX: Counter = Counter()

# What a lab user does next to a case in each status (DESIGN §4), for the "status moves" task.
NEXT_MOVE = {
    "submitted": "received",
    "received": "in_production",
    "in_design": "awaiting_approval",
    "in_production": "quality_check",
    "quality_check": "shipped",
}
LIST_FILTERS = [
    "",
    "?status=in_production",
    "?status=received&priority=rush",
    "?late=true",
    "?search=smith",
    "?status=in_production,quality_check&ordering=due_date",
    "?ordering=due_date&page=3",
    "?status=quality_check&ordering=-created_at",
]


@events.request.add_listener
def _count(request_type, name, response_time, response_length, response=None, exception=None, **kwargs):
    code = getattr(response, "status_code", None) or 0
    STATUS_COUNTS[code] += 1
    if code >= 500:
        SLOW_5XX[name] += 1


ACCOUNTS = [
    "tech@demo.dentallab.test",
    "manager@demo.dentallab.test",
    "admin@demo.dentallab.test",
    "dr.smith@brightsmile.test",
    "dr.jones@riverside.test",
]
SESSIONS: dict[str, dict[str, str]] = {}


@events.test_start.add_listener
def _sign_in_everyone(environment, **kwargs):
    """Sign each demo account in once, through the real sign-in form, and keep its cookies."""
    if environment.host is None or not any(getattr(cls, "signs_in", False) for cls in environment.user_classes):
        return
    for email in ACCOUNTS:
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        page = opener.open(f"{environment.host}/login/", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
        form = {"username": email, "password": PASSWORD, "remember_me": "on", "csrfmiddlewaretoken": token}
        opener.open(f"{environment.host}/login/", data=urllib.parse.urlencode(form).encode(), timeout=30)
        cookies = {cookie.name: cookie.value for cookie in jar}
        if "sessionid" not in cookies:
            raise RuntimeError(f"could not sign in {email}: is the demo data loaded (seed_demo)?")
        SESSIONS[email] = cookies


@events.quitting.add_listener
def _write_counts(environment, **kwargs):
    if STATUS_FILE:
        with open(STATUS_FILE, "w") as out:
            json.dump({"status_codes": dict(STATUS_COUNTS), "5xx_by_name": dict(SLOW_5XX)}, out)


class BareUser(FastHttpUser):
    """The ceiling: the smallest Django view (bench/urls.py), same server, same tool."""

    wait_time = between(*WAIT)

    @task
    def bare(self):
        self.client.get("/bench/bare", name="bare view")


class SignedInUser(FastHttpUser):
    abstract = True
    signs_in = True
    email = ""
    wait_time = between(*WAIT)

    def on_start(self):
        # The account's session (signed in once per account at test start, see _sign_in_everyone):
        # people sign in once a day, and Argon2 is meant to be slow, so signing in on every
        # simulated user's start would measure password hashing, not the app.
        for name, value in SESSIONS[self.email].items():
            self.client.cookiejar.set_cookie(create_cookie(name, value, domain=self._host_name))
        self.case_ids: list[int] = []
        self.case_status: dict[int, str] = {}
        if "api_list" not in SKIP:
            self._refresh_cases("?page_size=100")

    @property
    def _host_name(self) -> str:
        return urllib.parse.urlsplit(self.host).hostname

    @property
    def csrf(self) -> str:
        for cookie in self.client.cookiejar:
            if cookie.name == "csrftoken":
                return cookie.value
        return ""

    def _refresh_cases(self, query):
        with self.client.get(f"/api/cases/{query}", name="api: case list", catch_response=True) as response:
            if response.status_code == 200:
                results = response.json().get("results", [])
                for case in results:
                    self.case_status[case["id"]] = case["status"]
                self.case_ids = list(self.case_status)[-300:]

    def _case(self):
        return random.choice(self.case_ids) if self.case_ids else None

    @task(3)
    def dashboard(self):
        with self.client.get("/", name="dashboard", allow_redirects=False, catch_response=True) as response:
            if response.status_code == 302:
                response.failure("not signed in: redirected to the sign-in page")

    @task(4)
    def case_list(self):
        if "case_list" not in SKIP:
            self.client.get(CASE_LIST + random.choice(LIST_FILTERS), name="page: case list (filters)")

    @task(4)
    def case_page(self):
        case_id = self._case()
        if case_id and "case_page" not in SKIP:
            self.client.get(CASE_PAGE.format(id=case_id), name="page: case")

    @task(3)
    def api_list(self):
        if "api_list" not in SKIP:
            query = random.choice(LIST_FILTERS).lstrip("?")
            self._refresh_cases(f"?{query}&page_size=25" if query else "?page_size=25")

    @task(1)
    def health(self):
        self.client.get("/api/health", name="health")

    @task(1)
    def note(self):
        case_id = self._case()
        if case_id and "note" not in SKIP:
            self.client.post(
                f"/api/cases/{case_id}/notes/",
                json={"body": "Load test note: checked the margins.", "internal": False},
                headers={"X-CSRFToken": self.csrf, "Referer": self.host},
                name="api: add note",
            )


class LabUser(SignedInUser):
    abstract = True

    @task(2)
    def move(self):
        if "move" in SKIP:
            return
        movable = [cid for cid in self.case_ids if self.case_status.get(cid) in NEXT_MOVE]
        if not movable:
            self._refresh_cases("?status=" + random.choice(list(NEXT_MOVE)) + "&page_size=50")
            return
        case_id = random.choice(movable)
        to = NEXT_MOVE[self.case_status[case_id]]
        with self.client.post(
            f"/api/cases/{case_id}/transition/",
            json={"to": to, "note": ""},
            headers={"X-CSRFToken": self.csrf, "Referer": self.host},
            name="api: status move",
            catch_response=True,
        ) as response:
            if response.status_code == 200:
                self.case_status[case_id] = to
                response.success()
            elif response.status_code in (409, 400):
                # Somebody moved it first: 409 (the move no longer exists) or 400 (from the status
                # it has now, this move needs a reason). Told, nothing changed: the app working.
                self.case_status.pop(case_id, None)
                response.success()


class TechnicianUser(LabUser):
    weight = 4
    email = "tech@demo.dentallab.test"


class ManagerUser(LabUser):
    weight = 2
    email = "manager@demo.dentallab.test"


class AdminUser(LabUser):
    weight = 1
    email = "admin@demo.dentallab.test"


class DentistUser(SignedInUser):
    weight = 3

    def on_start(self):
        self.email = random.choice(["dr.smith@brightsmile.test", "dr.jones@riverside.test"])
        super().on_start()

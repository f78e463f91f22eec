"""The simulated people of the load test (locust, headless; started by ``benchmarks.load``).

- ``Visitor``: someone browsing without logging in -- the home page, the project list (plain
  and searched), a project page, the impact page.
- ``Applicant``: a logged-in resident who opens the application form, then sends it, again
  and again (each time a new form, so a new application).
- ``FormReader``: a logged-in resident who opens the application form, again and again.
- ``ListReader`` and ``BareReader``: only the project list, only the bare view; their
  throughputs side by side give the list's cost beyond the framework's own.

They come through the proxy's door: ``X-Forwarded-Proto: https``, as the proxy in front of
gunicorn sends (production settings redirect plain http and mark cookies secure). Cookies are
carried by hand for the same reason: a client library keeps secure cookies off plain http.
``LOAD_PACE`` sets how many tasks a second each person does at most (a task of ``Applicant``
is one submit); 0, as fast as the answers come. ``LOAD_WORLD`` names the JSON
that ``benchmarks.load.prepare`` wrote (sessions, project ids).
"""

from __future__ import annotations

import itertools
import json
import os
import random
import re
import uuid
from typing import Any

from locust import FastHttpUser, constant, constant_throughput, task

WORLD: dict[str, Any] = json.loads(open(os.environ["LOAD_WORLD"]).read())  # noqa: SIM115
HOST = os.environ.get("LOAD_HOST_HEADER", "127.0.0.1")
PROXY = {"X-Forwarded-Proto": "https", "Accept-Language": "ko-KR,ko;q=0.9"}
SEARCHES = ["?area=health", "?area=donation", "?q=%EB%8F%8C%EB%B4%84", "?page=2", "?area=education"]
# Each simulated person's pace: LOAD_PACE tasks a second (0: one after another, no pause).
PACE = float(os.environ.get("LOAD_PACE", "0"))
WAIT = constant_throughput(PACE) if PACE > 0 else constant(0)
NEED = "무릎이 아파서 장을 보러 가기 어렵습니다. 일주일에 한 번 도움이 필요합니다."
_sessions = itertools.cycle(WORLD["sessions"])
_token = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


class Visitor(FastHttpUser):
    """Browses the public pages without logging in, as a browser that has been here before:
    it sends back the CSRF cookie the site gave it (the pages' forms need one)."""

    wait_time = WAIT

    def on_start(self) -> None:
        self.headers = {**PROXY, "Cookie": f"{WORLD['csrf_cookie']}={uuid.uuid4().hex}"}

    def page(self, path: str, name: str) -> None:
        self.client.get(path, name=name, headers=self.headers)

    @task(3)
    def home(self) -> None:
        self.page("/", "home")

    @task(3)
    def project_list(self) -> None:
        self.page("/projects/", "project list")

    @task(1)
    def project_search(self) -> None:
        self.page(f"/projects/{random.choice(SEARCHES)}", "project list, searched")

    @task(3)
    def project_page(self) -> None:
        self.page(f"/projects/{random.choice(WORLD['project_ids'])}/", "project page")

    @task(2)
    def impact(self) -> None:
        self.page("/impact/", "impact page")


class _Resident(FastHttpUser):
    """A logged-in resident (one of the sessions ``prepare`` made)."""

    abstract = True
    wait_time = WAIT

    def on_start(self) -> None:
        csrf_secret = uuid.uuid4().hex  # 32 characters, as Django's own cookie value
        self.headers = {
            **PROXY,
            "Origin": f"https://{HOST}",
            "Referer": f"https://{HOST}/support/apply/",
            "Cookie": (
                f"{WORLD['session_cookie']}={next(_sessions)}; {WORLD['csrf_cookie']}={csrf_secret}"
            ),
        }

    def open_form(self) -> str | None:
        """The application form; its CSRF token, or None (a failure) without one."""
        with self.client.get(
            "/support/apply/", name="application form", headers=self.headers, catch_response=True
        ) as form:
            found = _token.search(form.text or "")
            if form.status_code != 200 or found is None:
                form.failure(f"no form: {form.status_code}")
                return None
            return found.group(1)


class Applicant(_Resident):
    """Opens the application form once, then sends applications: each a new form (its own
    submission key), as residents one after another at the same door."""

    def on_start(self) -> None:
        super().on_start()
        self.token = self.open_form()

    @task
    def apply(self) -> None:
        if self.token is None:
            self.token = self.open_form()
            return
        data = {
            "csrfmiddlewaretoken": self.token,
            "submission_key": str(uuid.uuid4()),
            "areas": random.choice(["health", "donation", "network", "education", "talent"]),
            "description": NEED,
            "urgency": random.choice(["1", "2", "3"]),
            "support_type": "",
            "preferred_project": "",
            "contact_phone": "010-1234-5678",
        }
        with self.client.post(
            "/support/apply/",
            data=data,
            name="application submit",
            headers=self.headers,
            allow_redirects=False,
            catch_response=True,
        ) as sent:
            location = sent.headers.get("Location", "")
            if sent.status_code != 302 or "/support/applications/" not in location:
                sent.failure(f"not saved: {sent.status_code} {location}")


class FormReader(_Resident):
    """Opens the application form again and again (a logged-in page, never cached)."""

    @task
    def form(self) -> None:
        self.open_form()


class ListReader(FastHttpUser):
    wait_time = WAIT
    default_headers = PROXY

    @task
    def project_list(self) -> None:
        self.client.get("/projects/", name="project list")


class BareReader(FastHttpUser):
    wait_time = WAIT
    default_headers = PROXY

    @task
    def bare(self) -> None:
        self.client.get("/load-bench/bare", name="bare view")

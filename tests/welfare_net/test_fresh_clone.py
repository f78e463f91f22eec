"""A newcomer's path, end to end: a fresh copy of the working tree, `make run`, the pages, a
resident's application proposed by the worker, Ctrl+C, nothing left running.

Why: the rest of the suite tests the code through Django's test client, with the test
settings, against databases pytest prepares. A green suite once hid a home page that answered
500 under `make run`: what a newcomer runs (the Makefile, the Procfile, the local settings, the
embedded PostgreSQL server, the file cache and the filesystem broker, the demo data,
gunicorn, the Celery worker and beat together) was tested by nobody. This test runs exactly
that, in a scratch copy of the files git tracks or would track (so uncommitted work is tested
too, and nothing of this checkout's .venv, var/ or .env leaks in), with an environment stripped
of every variable that would point it at other servers. The copy installs its own .venv from
the package registry, as a newcomer's first `make run` does.

It uses neither the shared PostgreSQL nor Redis: the copy's `make run` keeps its own embedded
server in the copy's var/ (a Unix socket only, so the copy lives in a short folder under /tmp:
the socket's path must stay under about 100 bytes). Every wait is bounded here (the suite has
no per-test timeout). Run it with ``-s`` to see the measured times.
"""

import contextlib
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

REPO = Path(__file__).resolve().parents[2]
# What would point the copy at this checkout's servers, settings or virtualenv; a newcomer's
# shell has none of them. MAKEFLAGS and MAKELEVEL come from an outer `make test`.
STRIPPED_VARIABLES = (
    "DATABASE_URL",
    "REDIS_URL",
    "CELERY_BROKER_URL",
    "DJANGO_SETTINGS_MODULE",
    "VAR_DIR",
    "VIRTUAL_ENV",
    "PYTHONPATH",
    "MAKEFLAGS",
    "MFLAGS",
    "MAKELEVEL",
)
# Overall bound from `make run` to /healthz answering 200: the first run installs .venv (a
# real pip install), migrates and seeds the district-year demo.
HEALTHY_WITHIN_SECONDS = 600.0
PROPOSED_WITHIN_SECONDS = 30.0
STOPPED_WITHIN_SECONDS = 90.0
REQUEST_TIMEOUT = 30.0

# The demo resident (residents/demo/__init__.py: DEMO_USERS, _seed_demo_resident_profile):
# lives alone in 면목본동, born 68 years before the demo year (last year), an older person
# living alone. The area and project applied for are chosen among those they can be matched to.
RESIDENT_EMAIL = "resident@example.com"
DEMO_PASSWORD = "welfare-demo-2026"
RESIDENT_NEIGHBOURHOOD = "myeonmok-bon"
RESIDENT_GROUP = "older-alone"
RESIDENT_HOUSEHOLD = "single_person"
RESIDENT_AGE_THIS_YEAR = 68 + 1
URGENT = "4"  # matching.models.Urgency.URGENT
# An application's status on its page: the class names the status in any language, and
# "Matched, in review" is 연계 검토 중 in the Korean catalogue (locale/ko/LC_MESSAGES).
PROPOSED_MARKER = 'class="status status-proposed"'
PROPOSED_WORDS_KO = "연계 검토 중"

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux") or not (shutil.which("make") and shutil.which("git")),
    reason="needs Linux (/proc), make and git",
)


# --- The scratch copy and its processes ------------------------------------------------------


def _copy_working_tree(destination: Path) -> None:
    """The files git tracks or would track (uncommitted ones too; nothing it ignores)."""
    listed = subprocess.run(
        ["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        check=True,
        capture_output=True,
        timeout=60,
    ).stdout
    for name in sorted({n for n in listed.decode().split("\0") if n}):
        source = REPO / name
        if not source.exists() and not source.is_symlink():  # deleted, not yet staged
            continue
        target = destination / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            target.symlink_to(os.readlink(source))
        else:
            shutil.copy2(source, target)


def _newcomers_environment() -> dict[str, str]:
    environment = {k: v for k, v in os.environ.items() if k not in STRIPPED_VARIABLES}
    # Nor this checkout's virtualenv on the PATH: the copy must find Python 3.11 itself.
    own_bins = {str(REPO / ".venv" / "bin"), str(Path(sys.prefix) / "bin")}
    if os.environ.get("VIRTUAL_ENV"):
        own_bins.add(str(Path(os.environ["VIRTUAL_ENV"]) / "bin"))
    path = [entry for entry in environment.get("PATH", "").split(os.pathsep) if entry]
    environment["PATH"] = os.pathsep.join(e for e in path if e not in own_bins)
    return environment


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def _processes_of(folder: Path) -> dict[int, str]:
    """Every live process started from the copy, or running a program of it: pid, command."""
    inside = f"{folder}/"
    found: dict[int, str] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit() or int(entry.name) == os.getpid():
            continue
        try:
            raw = (entry / "cmdline").read_bytes()
            cwd = os.readlink(entry / "cwd")
        except OSError:  # gone meanwhile, or a zombie
            continue
        command = raw.replace(b"\0", b" ").decode(errors="replace").strip()
        if command and (inside in command or cwd == str(folder) or cwd.startswith(inside)):
            found[int(entry.name)] = command
    return found


def _kill_processes_of(folder: Path) -> None:
    for pid in _processes_of(folder):
        with contextlib.suppress(OSError):
            os.kill(pid, signal.SIGKILL)


# --- The site's HTML -------------------------------------------------------------------------


@dataclass
class _Form:
    action: str
    hidden: dict[str, str] = field(default_factory=dict)
    names: set[str] = field(default_factory=set)


class _FormParser(HTMLParser):
    """Every form of a page: its action, its hidden fields' values, the names of its fields."""

    def __init__(self) -> None:
        super().__init__()
        self.forms: list[_Form] = []
        self._form: _Form | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {key: value or "" for key, value in attrs}
        if tag == "form":
            self._form = _Form(action=attributes.get("action", ""))
            self.forms.append(self._form)
        elif self._form is not None and tag in ("input", "select", "textarea", "button"):
            name = attributes.get("name")
            if not name:
                return
            self._form.names.add(name)
            if tag == "input" and attributes.get("type", "").lower() == "hidden":
                self._form.hidden[name] = attributes.get("value", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None


def _form_with(html: str, field_name: str) -> _Form | None:
    parser = _FormParser()
    parser.feed(html)
    return next((form for form in parser.forms if field_name in form.names), None)


# --- One `make run` --------------------------------------------------------------------------


@dataclass
class _Run:
    copy: Path
    port: int
    environment: dict[str, str]
    log: Path
    started: float
    process: subprocess.Popen[bytes]
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def log_tail(self, lines: int = 80) -> str:
        try:
            text = self.log.read_text(errors="replace")
        except OSError:
            return "(no log)"
        return "\n".join(text.splitlines()[-lines:])

    def context(self) -> str:
        """What a failure message carries: the times measured so far and the log's end."""
        times = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings.items())
        return f"\ntimes: {times or 'none yet'}\n--- the end of {self.log} ---\n{self.log_tail()}"

    def embedded_postgres(self, action: str) -> subprocess.CompletedProcess[str]:
        python = str(self.copy / ".venv" / "bin" / "python")
        return subprocess.run(
            [python, "-m", "welfare_net.embedded_postgres", action],
            cwd=self.copy,
            env=self.environment,
            capture_output=True,
            text=True,
            timeout=90,
        )


def _start_make_run(copy: Path) -> _Run:
    port = _free_port()
    environment = _newcomers_environment()
    log = copy / "make-run.log"
    with log.open("wb") as output:
        started = time.monotonic()
        process = subprocess.Popen(
            ["make", "run", f"PORT={port}"],
            cwd=copy,
            env=environment,
            stdin=subprocess.DEVNULL,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group, for the Ctrl+C below
        )
    return _Run(copy, port, environment, log, started, process)


def _wait_until_healthy(run: _Run) -> float:
    deadline = run.started + HEALTHY_WITHIN_SECONDS
    last = "no answer yet"
    while time.monotonic() < deadline:
        if run.process.poll() is not None:
            pytest.fail(
                f"make run exited ({run.process.returncode}) before /healthz answered 200"
                + run.context()
            )
        try:
            response = requests.get(run.url("/healthz"), timeout=5)
        except requests.RequestException as error:
            last = type(error).__name__
        else:
            if response.status_code == 200:
                return time.monotonic() - run.started
            last = f"{response.status_code} {response.text[:300]}"
        time.sleep(1)
    pytest.fail(
        f"/healthz did not answer 200 within {HEALTHY_WITHIN_SECONDS:.0f} s of make run "
        f"(last: {last})" + run.context()
    )


def _get_ok(run: _Run, session: requests.Session, path: str) -> requests.Response:
    response = session.get(run.url(path), timeout=REQUEST_TIMEOUT)
    assert response.status_code == 200, (
        f"GET {path} answered {response.status_code}: {response.text[:500]}" + run.context()
    )
    return response


def _all_pages(run: _Run, session: requests.Session, path: str) -> list[dict[str, Any]]:
    """Every row of a paginated public API list (or of a plain list)."""
    rows: list[dict[str, Any]] = []
    url: str | None = run.url(path)
    for _ in range(100):
        if url is None:
            return rows
        response = session.get(url, timeout=REQUEST_TIMEOUT)
        assert response.status_code == 200, f"GET {url}: {response.status_code}" + run.context()
        body = response.json()
        if isinstance(body, list):
            return rows + body
        rows.extend(body["results"])
        url = body.get("next")
    return rows


def _matchable(project: dict[str, Any], today: date) -> bool:
    """Whether the demo resident meets the project's rules (matching/eligibility.py) and it
    has a place left."""
    if project["status"] != "open" or project["places_left"] <= 0:
        return False
    if date.fromisoformat(project["starts_on"]) > today:
        return False
    for last_day in (project["ends_on"], project["apply_by"]):
        if last_day and date.fromisoformat(last_day) < today:
            return False
    groups = {group["code"] for group in project["target_groups"]}
    if groups and RESIDENT_GROUP not in groups:
        return False
    if project["min_age"] is not None and project["min_age"] > RESIDENT_AGE_THIS_YEAR:
        return False
    if project["max_age"] is not None and project["max_age"] < RESIDENT_AGE_THIS_YEAR:
        return False
    households = project["household_types"]
    return not households or RESIDENT_HOUSEHOLD in households


def _what_to_apply_for(run: _Run, session: requests.Session) -> tuple[str, int]:
    """The area with the most places the resident can be given in their neighbourhood, and its
    project with the most places left (to name as preferred), from the public API."""
    neighbourhoods = _all_pages(run, session, "/api/neighbourhoods/?district=jungnang")
    home = next((n for n in neighbourhoods if n["code"] == RESIDENT_NEIGHBOURHOOD), None)
    assert home is not None, f"no neighbourhood {RESIDENT_NEIGHBOURHOOD}" + run.context()
    projects = _all_pages(
        run, session, f"/api/projects/?status=open&neighbourhood={home['id']}&page_size=100"
    )
    today = datetime.now(ZoneInfo("Asia/Seoul")).date()
    # Not the donation area: its projects collect gifts rather than serve a person.
    fitting = [p for p in projects if _matchable(p, today) and p["area"] != "donation"]
    places: defaultdict[str, int] = defaultdict(int)
    for project in fitting:
        places[project["area"]] += project["places_left"]
    assert places, (
        f"none of the {len(projects)} open projects serving {RESIDENT_NEIGHBOURHOOD} can take "
        "the demo resident" + run.context()
    )
    area = max(places, key=lambda a: places[a])
    best = max((p for p in fitting if p["area"] == area), key=lambda p: p["places_left"])
    found = re.search(r"/projects/(\d+)/", best["url"])
    assert found is not None, best["url"]
    print(
        f"applying for {area} ({places[area]} places in {sum(p['area'] == area for p in fitting)}"
        f" projects; all areas: {dict(places)}), preferring project {found[1]}"
    )
    return area, int(found[1])


def _log_in_as_resident(run: _Run, session: requests.Session) -> None:
    login_url = run.url("/accounts/login/")
    page = _get_ok(run, session, "/accounts/login/")
    form = _form_with(page.text, "login")
    assert form is not None, "no login form on /accounts/login/" + run.context()
    assert "csrftoken" in session.cookies, "the login page set no csrftoken cookie"
    data = {**form.hidden, "login": RESIDENT_EMAIL, "password": DEMO_PASSWORD}
    # As a browser sends them: Django's CSRF check compares the Origin with the site.
    response = session.post(
        login_url,
        data=data,
        headers={"Referer": login_url, "Origin": run.base},
        timeout=REQUEST_TIMEOUT,
    )
    assert response.status_code == 200, (
        f"logging in answered {response.status_code}: {response.text[:500]}" + run.context()
    )
    assert "/accounts/login/" not in response.url, (
        f"logging in did not get past the form (now at {response.url})" + run.context()
    )
    assert "sessionid" in session.cookies, "no session after logging in" + run.context()


def _submit_application(run: _Run, session: requests.Session, area: str, project: int) -> str:
    """Sends the application form as the resident fills it in; its page's path."""
    apply_url = run.url("/support/apply/")
    page = _get_ok(run, session, "/support/apply/")
    form = _form_with(page.text, "areas")
    assert form is not None, "no application form on /support/apply/" + run.context()
    assert "submission_key" in form.hidden, "the application form has no submission key"
    assert f'<option value="{project}"' in page.text, f"project {project} is not a choice"
    data = {
        **form.hidden,
        "areas": area,
        "description": "혼자 지내는데 요즘 몸이 불편해서 도움이 필요합니다. 연락 주세요.",
        "urgency": URGENT,
        "support_type": "",
        "preferred_project": str(project),
        "contact_phone": "010-1234-5678",
    }
    response = session.post(
        apply_url,
        data=data,
        headers={"Referer": apply_url, "Origin": run.base},
        timeout=REQUEST_TIMEOUT,
        allow_redirects=False,
    )
    location = response.headers.get("Location", "")
    found = re.search(r"/support/applications/[0-9a-f-]{36}/", location)
    assert response.status_code == 302 and found is not None, (
        f"sending the application answered {response.status_code} (Location {location!r}): "
        f"{response.text[:800]}" + run.context()
    )
    return found[0]


def _wait_for_proposal(run: _Run, session: requests.Session, application: str) -> float:
    submitted = time.monotonic()
    deadline = submitted + PROPOSED_WITHIN_SECONDS
    status = "not read yet"
    while time.monotonic() < deadline:
        page = _get_ok(run, session, application)
        if PROPOSED_MARKER in page.text:
            assert PROPOSED_WORDS_KO in page.text, "the proposal's status is not in Korean"
            return time.monotonic() - submitted
        found = re.search(r'class="status status-[^"]*">([^<]*)<', page.text)
        status = found[1] if found else "no status shown"
        time.sleep(0.5)
    pytest.fail(
        f"no proposal on {application} within {PROPOSED_WITHIN_SECONDS:.0f} s of sending it "
        f"(status: {status})" + run.context()
    )


def _stop(run: _Run) -> None:
    """Ctrl+C: SIGINT to make's whole process group, as a terminal sends it."""
    os.killpg(run.process.pid, signal.SIGINT)
    try:
        run.process.wait(timeout=STOPPED_WITHIN_SECONDS)
    except subprocess.TimeoutExpired:
        pytest.fail(
            f"make run did not exit within {STOPPED_WITHIN_SECONDS:.0f} s of Ctrl+C" + run.context()
        )


def _left_running(run: _Run) -> list[str]:
    """What is still running of the copy after make exited (honcho's processes get sessions of
    their own, so they are found by their folder rather than their process group)."""
    problems: list[str] = []
    status = run.embedded_postgres("status")
    if status.returncode != 3:
        problems.append(
            f"the embedded PostgreSQL server still runs (status exited {status.returncode}: "
            f"{(status.stdout + status.stderr).strip()})"
        )
    deadline = time.monotonic() + 10
    servers: dict[int, str] = {}
    while time.monotonic() < deadline:
        servers = {
            pid: command
            for pid, command in _processes_of(run.copy).items()
            if re.search(r"gunicorn|celery|honcho", command)
        }
        if not servers:
            break
        time.sleep(0.5)
    problems.extend(f"still running: pid {pid}: {command}" for pid, command in servers.items())
    return problems


def _clean_up(run: _Run | None) -> None:
    """Leaves nothing behind, whatever failed: make, the server, the processes of the copy."""
    if run is None:
        return
    if run.process.poll() is None:
        with contextlib.suppress(OSError):
            os.killpg(run.process.pid, signal.SIGKILL)
        run.process.wait(timeout=30)
    if (run.copy / ".venv" / "bin" / "python").exists():
        try:
            if run.embedded_postgres("status").returncode == 0:
                run.embedded_postgres("stop")
        except subprocess.TimeoutExpired:
            pass
    _kill_processes_of(run.copy)


def test_a_fresh_copy_serves_the_demo_under_make_run_and_stops_cleanly_on_ctrl_c() -> None:
    copy = Path(tempfile.mkdtemp(prefix="wn-", dir="/tmp"))
    run: _Run | None = None
    try:
        _copy_working_tree(copy)
        run = _start_make_run(copy)

        healthy_after = run.timings["make run to /healthz 200"] = _wait_until_healthy(run)
        print(f"\nmake run: /healthz answered 200 after {healthy_after:.1f} s")

        session = requests.Session()
        session.headers["Accept-Language"] = "ko"
        for path in ("/", "/projects/", "/impact/", "/api/impact/"):
            listing = _get_ok(run, session, path)
            if path == "/projects/":
                found = re.search(r'href="(/projects/\d+/)"', listing.text)
                assert found is not None, "no project link on /projects/" + run.context()
                _get_ok(run, session, found[1])

        area, project = _what_to_apply_for(run, session)
        _log_in_as_resident(run, session)
        application = _submit_application(run, session, area, project)
        proposed_after = _wait_for_proposal(run, session, application)
        run.timings["submit to proposal visible"] = proposed_after
        print(f"proposal visible {proposed_after:.1f} s after submitting")
        my_page = _get_ok(run, session, "/support/me/")
        assert application in my_page.text and PROPOSED_MARKER in my_page.text, (
            "My page does not list the proposed application" + run.context()
        )

        _stop(run)
        problems = _left_running(run)
        assert not problems, "after Ctrl+C:\n" + "\n".join(problems) + run.context()
    finally:
        _clean_up(run)
        shutil.rmtree(copy, ignore_errors=True)

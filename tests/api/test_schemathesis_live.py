"""schemathesis, as its own command line runs it, against the site under gunicorn: every
check it has (``--checks all``: server errors, status codes, content types, headers, bodies,
schema-violating requests that were accepted, schema-valid requests that were rejected,
authentication, methods...), in all its phases and both generation modes, as an anonymous
app, a resident with a token and a coordinator with a token.

The test commits its rows (the site is another process), so the database is emptied after
each role. Bounded: a few examples an operation and a fixed seed, so the three roles together
stay within about three minutes on a shared two-core machine (deterministic generation: the
same cases every run; ``SCHEMATHESIS_MAX_EXAMPLES`` asks for more).
"""

import os
import shutil
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import connection
from django.utils import timezone

from donations.services import pledge_mark_received
from matching.services import proposal_accept
from projects.models import Project
from residents.consents import CONSENT_TEXTS
from residents.models import Consent, User
from residents.services import auth_token_issue
from surveys.models import Survey
from talents.models import TalentOffer
from tests.donations.factories import MoneyPledgeFactory
from tests.matching.factories import make_resident, submit_application, submit_referral
from tests.matching.queue.helpers import coordinator_of, proposal_in, referral_in
from tests.projects.factories import NeighbourhoodFactory, ProjectFactory, TargetGroupFactory
from tests.servers import Site, running_site
from tests.surveys.factories import invitation_for, survey_with_questions

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

MAX_EXAMPLES = int(os.environ.get("SCHEMATHESIS_MAX_EXAMPLES", "5"))
SCHEMATHESIS = shutil.which("st", path=str(Path(sys.executable).parent)) or "st"
CONFIG = Path(__file__).resolve().parents[2] / "schemathesis.toml"


@dataclass
class District:
    """Public projects, a resident with a record of every kind, and a coordinator with cases
    in their neighbourhood: every role's doors answer with real rows, not only 404."""

    projects: list[Project]
    resident: User
    coordinator: User


def a_district() -> District:
    dongs = NeighbourhoodFactory.create_batch(2)
    groups = TargetGroupFactory.create_batch(2)
    ProjectFactory.create(status=Project.Status.DRAFT, district=dongs[0].district)
    projects = [
        ProjectFactory.create(neighbourhoods=dongs, target_groups=groups, min_age=60),
        ProjectFactory.create(
            whole_district=True, status=Project.Status.PAUSED, district=dongs[0].district
        ),
        ProjectFactory.create(
            status=Project.Status.CLOSED,
            description="",
            contact_phone="",
            district=dongs[0].district,
        ),
    ]
    resident = make_resident(neighbourhood=dongs[0])
    for kind in (Consent.Kind.SENSITIVE, Consent.Kind.NOTIFICATIONS):
        Consent.objects.create(
            user=resident,
            kind=kind,
            text_version=CONSENT_TEXTS[kind].version,
            given_at=timezone.now(),
        )
    submit_application(resident, areas=["health"], submission_key=uuid.uuid4())
    submit_referral(resident)
    TalentOffer.objects.create(resident=resident, category="repairs", description="전등 수리")
    pledge_mark_received(pledge=MoneyPledgeFactory.create(donor=resident, project=projects[0]))
    survey_with_questions(district=projects[0].district)
    invitation_for(
        resident, survey_with_questions(district=projects[0].district, kind=Survey.Kind.FOLLOW_UP)
    )

    coordinator = coordinator_of(dongs[0])
    accepted = proposal_in(dongs[0], days_ago=5)
    proposal_accept(proposal=accepted, by=coordinator)
    proposal_in(dongs[0], days_ago=2, application__urgency=4)
    referral_in(dongs[0], neighbour_name="이웃분")
    return District(projects=projects, resident=resident, coordinator=coordinator)


@pytest.fixture
def site(transactional_db: None, tmp_path: Path) -> Iterator[Site]:
    db = connection.settings_dict
    url = (
        f"postgres://{db['USER'] or 'postgres'}@{db['HOST'] or '127.0.0.1'}:"
        f"{db['PORT'] or 5432}/{db['NAME']}"
    )
    with running_site(database_url=url, log=tmp_path / "site.log") as running:
        yield running


# Each role on the doors it uses: anonymous on all of them (every other one answers 401).
PATHS = {"anonymous": None, "resident": r"^/api/me/", "coordinator": r"^/api/(queue|staff)/"}


def schemathesis_run(site: Site, tmp_path: Path, *, token: str | None, paths: str | None) -> str:
    command = [
        SCHEMATHESIS,
        f"--config-file={CONFIG}",
        "run",
        f"http://127.0.0.1:{site.port}/api/schema/?format=json",
        "--checks=all",
        f"--max-examples={MAX_EXAMPLES}",
        "--generation-deterministic",
        "--workers=1",
        "--suppress-health-check=all",
        "--request-timeout=30",
        "--no-color",
        f"--report-dir={tmp_path / 'report'}",
    ]
    if token is not None:
        command.append(f"--header=Authorization: Token {token}")
    if paths is not None:
        command.append(f"--include-path-regex={paths}")
    finished = subprocess.run(
        command, capture_output=True, text=True, timeout=600, check=False, cwd=tmp_path
    )
    assert finished.returncode == 0, finished.stdout + finished.stderr
    return finished.stdout


@pytest.mark.parametrize("role", ["anonymous", "resident", "coordinator"])
def test_schemathesis_finds_nothing_the_document_does_not_promise(
    site: Site, tmp_path: Path, role: str
) -> None:
    district = a_district()
    users = {"anonymous": None, "resident": district.resident, "coordinator": district.coordinator}
    user = users[role]
    token = auth_token_issue(user=user) if user is not None else None

    schemathesis_run(site, tmp_path, token=token, paths=PATHS[role])

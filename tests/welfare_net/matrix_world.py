"""The world the authorisation matrix asks about: two districts, seven people, and one of
every kind of record, built once for the whole module (``test_authorisation_matrix.py``).

District A has two neighbourhoods, N1 and N2; district B one. Residents A and B both live
in N1 and each has an application (with a proposal waiting), a referral, a money pledge
with its receipt, a talent offer, a survey response, a follow-up invitation, a
participation and an API token. Coordinators are staff members of district A: one of N1
(resident A's neighbourhood), one of N2. District staff: one of A, one of B. Wherever a URL
names a record, the matrix names resident A's, or district A's. What resident A's records
say about her is written in words found nowhere else (``markers``), so that the matrix can
tell whether a page shows them.
"""

import dataclasses
import datetime as dt
import uuid

from allauth.account.models import EmailAddress
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import Group
from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from django_celery_beat.models import (
    ClockedSchedule,
    CrontabSchedule,
    IntervalSchedule,
    PeriodicTask,
    SolarSchedule,
)

from donations.models import DonationPledge, DonationReceipt
from matching.models import MatchProposal, MatchRun, Notification, Referral, SupportApplication
from projects.models import (
    Area,
    CoordinatorInvitation,
    District,
    Neighbourhood,
    Organisation,
    Participation,
    Project,
    StaffMember,
    TargetGroup,
)
from projects.services import coordinator_invitation_send
from residents.models import Consent, PersonalDataAccess, ResidentProfile, User
from residents.services import auth_token_issue, personal_data_access_record
from surveys.models import Dimension, FollowUpInvitation, Survey
from surveys.models import Response as SurveyResponse
from talents.models import TalentOffer
from tests import factories as base
from tests.matching.engine_factories import ProjectFactory as OpenHealthProjectFactory
from tests.matching.engine_factories import ProposalFactory
from tests.matching.factories import (
    make_pledge_with_receipt,
    make_resident,
    make_talent_offer,
    submit_referral,
)
from tests.surveys.factories import add_response, invitation_for, survey_with_questions
from visitors.models import DailyVisitors

ROLES = (
    "anonymous",
    "resident_a",
    "resident_b",
    "coordinator_other",
    "coordinator",
    "staff_other",
    "staff",
)


@dataclasses.dataclass
class Records:
    """One resident's records."""

    user: User
    profile: ResidentProfile
    consent: Consent
    email: EmailAddress
    token: str  # the resident's API token
    application: SupportApplication
    proposal: MatchProposal
    referral: Referral
    pledge: DonationPledge
    receipt: DonationReceipt
    offer: TalentOffer
    response: SurveyResponse
    invitation: FollowUpInvitation
    participation: Participation


@dataclasses.dataclass
class World:
    district_a: District
    district_b: District
    n1: Neighbourhood
    n2: Neighbourhood
    organisation: Organisation
    project: Project  # open, public, district A: donations and joining
    health_project: Project  # open, district A: the proposals' project
    target_group: TargetGroup
    survey: Survey  # yearly, for district A's residents, open today
    follow_up_survey: Survey
    a: Records
    b: Records
    users: dict[str, User | None]
    coordinator_member: StaffMember  # the coordinator of N1's row (district staff may change it)
    invitation: CoordinatorInvitation  # district A's, pending
    match_run: MatchRun
    notification: Notification
    access: PersonalDataAccess
    daily_visitors: DailyVisitors
    group: Group
    access_attempt: AccessAttempt
    access_log: AccessLog
    access_failure: AccessFailureLog
    periodic_task: PeriodicTask
    clocked: ClockedSchedule
    crontab: CrontabSchedule
    solar: SolarSchedule
    interval: IntervalSchedule
    project_history_id: int
    organisation_history_id: int
    project_content_type_id: int


def markers(name: str) -> dict[str, str]:
    """What a resident's records say that no one else may read, in words found nowhere else
    (ASCII, so that they read the same in HTML, JSON and CSV)."""
    return {
        "name": f"Name{name}",
        "email": f"{name.lower()}@example.org",
        "phone": f"010-7731-{sum(map(ord, name)) % 10000:04d}",
        "need": f"need-of-{name}",
        "situation": f"neighbour-of-{name}",
        "reach": f"reach-{name}-at",
        "offer": f"offer-of-{name}",
    }


def _records(
    world_parts: dict[str, object], name: str, n1: Neighbourhood, project: Project
) -> Records:
    words = markers(name)
    user = make_resident(
        neighbourhood=n1,
        phone=words["phone"],
        username=f"matrix-{name}",
        email=words["email"],
        first_name=words["name"],
        last_name="Matrix",
    )
    application = base.SupportApplicationFactory.create(
        applicant=user,
        neighbourhood=n1,
        areas=[Area.HEALTH.value],
        status=SupportApplication.Status.PROPOSED,
        applicant_name=f"{words['name']} Matrix",
        description=words["need"],
        contact_phone=words["phone"],
    )
    proposal = ProposalFactory.create(
        application=application,
        project=world_parts["health_project"],
        run=world_parts["match_run"],
    )
    pledge = make_pledge_with_receipt(user, project=project)
    offer = make_talent_offer(user, description=words["offer"])
    offer.neighbourhoods.set([n1])
    survey = world_parts["survey"]
    assert isinstance(survey, Survey)
    follow_up = world_parts["follow_up_survey"]
    assert isinstance(follow_up, Survey)
    return Records(
        user=user,
        profile=user.profile,
        consent=Consent.objects.get(user=user),
        email=EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True),
        token=auth_token_issue(user=user),
        application=application,
        proposal=proposal,
        referral=submit_referral(user, situation=words["situation"], how_to_reach=words["reach"]),
        pledge=pledge,
        receipt=pledge.receipt,
        offer=offer,
        response=add_response(
            survey, {Dimension.AWARENESS: 4}, at=timezone.now(), respondent=user, neighbourhood=n1
        ),
        invitation=invitation_for(user, follow_up),
        participation=base.ParticipationFactory.create(resident=user, project=project),
    )


def build_world() -> World:
    district_a = base.DistrictFactory.create(code="matrix-a")
    district_b = base.DistrictFactory.create(code="matrix-b")
    n1 = base.NeighbourhoodFactory.create(district=district_a)
    n2 = base.NeighbourhoodFactory.create(district=district_a)
    base.NeighbourhoodFactory.create(district=district_b)
    organisation = base.OrganisationFactory.create(district=district_a)
    project = base.ProjectFactory.create(
        district=district_a, organisation=organisation, open_ended=True, whole_district=True
    )
    parts: dict[str, object] = {
        "health_project": OpenHealthProjectFactory.create(
            district=district_a, organisation=organisation
        ),
        "match_run": base.MatchRunFactory.create(district=district_a),
        "survey": survey_with_questions([Dimension.AWARENESS], district=district_a),
        "follow_up_survey": survey_with_questions(
            [Dimension.BENEFIT], district=district_a, kind=Survey.Kind.FOLLOW_UP, text=False
        ),
    }
    a = _records(parts, "ResidentA", n1, project)
    b = _records(parts, "ResidentB", n1, project)

    coordinator_other = base.StaffMemberFactory.create(
        district=district_a, role=StaffMember.Role.COORDINATOR, neighbourhoods=[n2]
    )
    coordinator = base.StaffMemberFactory.create(
        district=district_a, role=StaffMember.Role.COORDINATOR, neighbourhoods=[n1]
    )
    staff_other = base.StaffMemberFactory.create(district=district_b)
    staff = base.StaffMemberFactory.create(district=district_a)

    now = timezone.now()
    interval = IntervalSchedule.objects.create(every=10, period=IntervalSchedule.SECONDS)
    access_fields = {"user_agent": "matrix", "ip_address": "10.0.0.9", "username": "nobody"}
    return World(
        district_a=district_a,
        district_b=district_b,
        n1=n1,
        n2=n2,
        organisation=organisation,
        project=project,
        health_project=parts["health_project"],  # type: ignore[arg-type]
        target_group=TargetGroup.objects.order_by("pk").first() or base.TargetGroupFactory.create(),
        survey=parts["survey"],  # type: ignore[arg-type]
        follow_up_survey=parts["follow_up_survey"],  # type: ignore[arg-type]
        a=a,
        b=b,
        users={
            "anonymous": None,
            "resident_a": a.user,
            "resident_b": b.user,
            "coordinator_other": coordinator_other.user,
            "coordinator": coordinator.user,
            "staff_other": staff_other.user,
            "staff": staff.user,
        },
        coordinator_member=coordinator,
        invitation=coordinator_invitation_send(
            invited_by=staff.user,
            district=district_a,
            email="invited@example.com",
            neighbourhoods=[n1],
            areas=[],
            site_url="https://testserver/",
        ),
        match_run=parts["match_run"],  # type: ignore[arg-type]
        notification=base.NotificationFactory.create(district=district_a),
        access=personal_data_access_record(
            viewer=staff.user,
            view_name="queue:application",
            reason=PersonalDataAccess.Reason.CASE_REVIEW,
            subject_user=a.user,
            subject_application_id=a.application.pk,
        ),
        # get: a database holding the demo has counts for that day already.
        daily_visitors=DailyVisitors.objects.get_or_create(
            day=dt.date(2026, 3, 1), defaults={"visitors": 3}
        )[0],
        group=Group.objects.get(name="coordinator"),
        access_attempt=AccessAttempt.objects.create(
            **access_fields, get_data="", post_data="", failures_since_start=1
        ),
        access_log=AccessLog.objects.create(**access_fields),
        access_failure=AccessFailureLog.objects.create(**access_fields),
        periodic_task=PeriodicTask.objects.create(
            name=f"matrix-{uuid.uuid4().hex[:8]}", task="matrix.nothing", interval=interval
        ),
        clocked=ClockedSchedule.objects.create(clocked_time=now),
        crontab=CrontabSchedule.objects.create(),
        solar=SolarSchedule.objects.create(event="sunrise", latitude=37.6, longitude=127.1),
        interval=interval,
        project_history_id=project.history.order_by("history_id").first().history_id,  # type: ignore[attr-defined]
        organisation_history_id=organisation.history.order_by("history_id")  # type: ignore[attr-defined]
        .first()
        .history_id,
        project_content_type_id=ContentType.objects.get_for_model(Project).pk,
    )

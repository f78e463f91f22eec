"""The authorisation matrix's world, its records taken from the small demo wherever the demo
has them: the pages are asked about the demo's own district, projects, cases and people, as
a newcomer meets them under `make run`.

The matrix's own world (``tests.welfare_net.matrix_world.build_world``) is built first, on
top of the demo, for what the small demo has none of (a second district and its staff, a
money pledge with its receipt, a message sent, the admin's login records and schedules).
"""

import dataclasses
from typing import TypeVar

from allauth.account.models import EmailAddress
from django.db.models import Model

from matching.models import MatchProposal, MatchRun, Referral, SupportApplication
from projects.models import Participation, Project, StaffMember
from residents.demo import DEMO_USERS
from residents.models import User
from residents.services import auth_token_issue
from surveys.models import FollowUpInvitation, Survey
from surveys.models import Response as SurveyResponse
from talents.models import TalentOffer
from tests.welfare_net.matrix_world import World, build_world

M = TypeVar("M", bound=Model)


def _demo_user(role: str) -> User:
    email = next(email for shown, _, email, _, _ in DEMO_USERS if shown == role)
    return User.objects.get(email=email)


def _first_history_id(record: Project) -> int | None:
    first = record.history.order_by("history_id").first()  # type: ignore[attr-defined]
    return first.history_id if first is not None else None


def demo_world() -> World:
    world = build_world()
    coordinator = StaffMember.objects.get(user=_demo_user("coordinator"))
    staff = StaffMember.objects.get(user=_demo_user("staff"))
    district = coordinator.district
    # Resident A: the demo resident whose case waits in the demo coordinator's queue.
    proposal = (
        MatchProposal.objects.filter(
            status=MatchProposal.Status.PROPOSED,
            application__neighbourhood__in=coordinator.neighbourhoods.all(),
        )
        .select_related("application__applicant", "project", "run")
        .order_by("-pk")
        .first()
    )
    assert proposal is not None, "the small demo has a proposal in the coordinator's queue"
    application: SupportApplication = proposal.application
    resident = application.applicant
    assert resident is not None and hasattr(resident, "profile")

    def own(model: type[M], **mine: object) -> M | None:
        """The latest record of this kind that is resident A's, or the demo district's."""
        return model._default_manager.filter(**mine).order_by("-pk").first()

    project = (
        Project.objects.filter(district=district, status=Project.Status.OPEN).order_by("pk").first()
    )
    a = dataclasses.replace(
        world.a,
        user=resident,
        profile=resident.profile,
        consent=resident.consents.order_by("pk").first() or world.a.consent,
        email=EmailAddress.objects.filter(user=resident).first()
        or EmailAddress.objects.create(user=resident, email=resident.email, verified=True),
        token=auth_token_issue(user=resident),
        application=application,
        proposal=proposal,
        referral=own(Referral, referrer=resident)
        or own(Referral, district=district)
        or world.a.referral,
        offer=own(TalentOffer, resident=resident)
        or own(TalentOffer, neighbourhoods__district=district)
        or world.a.offer,
        response=own(SurveyResponse, respondent=resident)
        or own(SurveyResponse, survey__district=district)
        or world.a.response,
        invitation=own(FollowUpInvitation, resident=resident)
        or own(FollowUpInvitation, survey__district=district)
        or world.a.invitation,
        participation=own(Participation, resident=resident)
        or own(Participation, project__district=district)
        or world.a.participation,
    )
    survey = (
        Survey.objects.filter(district=district, kind=Survey.Kind.YEARLY).order_by("-pk").first()
    )
    users = {
        **world.users,
        "resident_a": resident,
        # The newcomer's own login: the demo resident, a neighbour of nobody's case here.
        "resident_b": _demo_user("resident"),
        "coordinator": coordinator.user,
        "staff": staff.user,
    }
    changes: dict[str, object] = {
        "district_a": district,
        "n1": application.neighbourhood,
        "a": a,
        "users": users,
        "coordinator_member": coordinator,
        "health_project": proposal.project,
        "match_run": MatchRun.objects.filter(district=district).order_by("-pk").first()
        or world.match_run,
        "survey": survey or world.survey,
    }
    if project is not None and (history_id := _first_history_id(project)) is not None:
        changes.update(project=project, project_history_id=history_id)
        if project.organisation is not None:
            changes["organisation"] = project.organisation
            organisation_history = _first_history_id(project.organisation)  # type: ignore[arg-type]
            if organisation_history is None:
                changes["organisation"] = world.organisation
            else:
                changes["organisation_history_id"] = organisation_history
    return dataclasses.replace(world, **changes)  # type: ignore[arg-type]

"""A resident with one of every kind of record the platform holds on a person, each carrying
a marker word, so an export can be searched for what is theirs and for what is not."""

import datetime as dt
import uuid
from dataclasses import dataclass

from django.utils import timezone

from matching.models import ApplicationEvent, Notification, SupportApplication
from projects.models import CoordinatorInvitation, District, Neighbourhood
from residents.models import Consent, PersonalDataAccess, ResidentProfile, User
from residents.services import personal_data_access_record
from surveys.models import Answer, Question
from tests.factories import NotificationFactory
from tests.matching.engine_factories import target_group
from tests.matching.factories import (
    ProjectFactory,
    UserFactory,
    make_participation,
    make_pledge_with_receipt,
    make_talent_offer,
    submit_application,
    submit_referral,
)
from tests.surveys.factories import add_response, invitation_for, survey_with_questions


@dataclass(frozen=True)
class Everything:
    user: User
    application: SupportApplication
    marker: str


def resident_with_everything(*, neighbourhood: Neighbourhood, marker: str) -> Everything:
    """A resident of ``neighbourhood`` with a profile, consents, an application (with an event
    note by staff), a referral made, a pledge with its receipt, a talent offer, a
    participation, a survey response with a free-text answer, a follow-up offered, a message
    sent to them and a staff view of their data. ``marker`` is in their name and their words."""
    district: District = neighbourhood.district
    user = UserFactory.create(
        username=f"resident-{marker}", email=f"{marker}@example.org", first_name=marker
    )
    profile = ResidentProfile.objects.create(
        user=user, neighbourhood=neighbourhood, birth_year=1950, phone="010-1234-5678"
    )
    profile.target_groups.set([target_group("older-alone")])
    for kind in (Consent.Kind.PERSONAL, Consent.Kind.NOTIFICATIONS):
        Consent.objects.create(
            user=user, kind=kind, text_version="2026-01", given_at=timezone.now()
        )

    project = ProjectFactory.create(district=district)
    application = submit_application(user, description=f"{marker}: 반찬이 필요합니다")
    ApplicationEvent.objects.create(
        application=application,
        from_status="pending",
        to_status="on_hold",
        note=f"{marker} 님 보호자와 통화",
        created_at=timezone.now(),
    )
    submit_referral(user, situation=f"{marker}의 이웃이 아픕니다", neighbour_name="이웃")
    make_pledge_with_receipt(user, project=project)
    make_talent_offer(user, description=f"{marker}: 전등 고쳐 드립니다")
    make_participation(user, project=project)

    survey = survey_with_questions(["awareness"], district=district)
    response = add_response(
        survey, {"awareness": 4}, at=timezone.now(), respondent=user, neighbourhood=neighbourhood
    )
    Answer.objects.create(
        response=response,
        question=survey.questions.get(kind=Question.Kind.TEXT),
        text=f"{marker}: 좋았어요",
    )
    invitation_for(
        user,
        survey_with_questions(["benefit"], kind="follow_up", district=district),
        subject_key=uuid.uuid4(),
        delivered_on=timezone.localdate() - dt.timedelta(days=1),
    )
    NotificationFactory.create(
        district=district,
        user=user,
        recipient=f"user:{user.pk}",
        channel=Notification.Channel.EMAIL,
        kind=Notification.Kind.APPLICATION_EVENT,
        subject="신청 소식",
        body=f"{marker} 님, 신청을 받았습니다.",
    )
    viewer = UserFactory.create(username=f"staff-viewer-{marker}", is_staff=True)
    personal_data_access_record(
        viewer=viewer,
        subject_application_id=application.pk,
        view_name="queue:application",
        reason=PersonalDataAccess.Reason.CASE_REVIEW,
    )
    # An invitation to coordinate, not accepted: it names them by their email only.
    CoordinatorInvitation.objects.create(
        district=district,
        email=user.email.upper(),
        invited_by=viewer,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return Everything(user=user, application=application, marker=marker)

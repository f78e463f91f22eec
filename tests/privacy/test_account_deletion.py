"""A resident deletes their account through the site's own page: afterwards no table of the
database holds the words they wrote or their phone number, in any app. Their name stays only
on the donation receipts issued to them (tax law keeps those five years), and the
personal-data access log keeps its rows (the law keeps those two years) without their words.

Then the "cannot forget" check: every text field of every model linked to an account is
declared, in its app's ``personal_data.py``, as erased at deletion or kept for a reason."""

import datetime as dt
import uuid

import pytest
from django.apps import apps
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from donations.models import DonationPledge
from matching.models import ApplicationEvent, MatchProposal, Notification
from projects.models import CoordinatorInvitation, Neighbourhood
from residents.models import Consent, PersonalDataAccess, ResidentProfile, User
from residents.services import personal_data_access_record
from surveys.models import Answer, Question
from tests.factories import MatchRunFactory, NotificationFactory
from tests.matching.factories import (
    NeighbourhoodFactory,
    ProjectFactory,
    UserFactory,
    make_participation,
    make_pledge_with_receipt,
    make_talent_offer,
    submit_application,
    submit_referral,
)
from tests.surveys.factories import add_response, invitation_for, survey_with_questions
from welfare_net.personal_data import FREE_TEXT_FIELDS, declarations, linked_models

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

NAME = "말순ZQ"
EMAIL = "malsun.zq7@example.org"
WORDS = "속사정XK"  # in every free text the resident writes
PHONE = "010-7373-2929"


def resident_with_activity_everywhere(neighbourhood: Neighbourhood) -> User:
    """A resident with a profile, consents, an application (noted by staff, proposed by the
    engine), a referral, a money pledge with its receipt, a goods pledge, a talent offer, a
    participation, a survey answer, a follow-up, a message sent, a staff view of their data
    and a failed login; every word of theirs carries WORDS, every contact PHONE."""
    district = neighbourhood.district
    user = UserFactory.create(username=EMAIL, email=EMAIL, first_name=NAME, last_name="")
    user.set_password("welfare-test-password")
    user.save()
    ResidentProfile.objects.create(
        user=user, neighbourhood=neighbourhood, birth_year=1948, phone=PHONE
    )
    for kind in (Consent.Kind.PERSONAL, Consent.Kind.NOTIFICATIONS):
        Consent.objects.create(
            user=user, kind=kind, text_version="2026-01", given_at=timezone.now()
        )
    project = ProjectFactory.create(district=district)

    application = submit_application(
        user, description=f"{WORDS}: 반찬이 필요합니다, 연락은 {PHONE}"
    )
    ApplicationEvent.objects.create(
        application=application,
        from_status="pending",
        to_status="on_hold",
        note=f"{NAME} 님 {WORDS} 보호자와 통화",
        created_at=timezone.now(),
    )
    MatchProposal.objects.create(
        run=MatchRunFactory.create(district=district),
        application=application,
        project=project,
        score=10,
        decision_note=f"{WORDS} 확인함",
        reasons={
            "version": 1,
            "rules": ["area", "target_groups"],
            "details": {"age": 78, "household_type": "single_person", "target_groups": ["x"]},
            "score": {"urgency": 300, "total": 300},
        },
    )
    submit_referral(
        user,
        situation=f"{WORDS}: 이웃 어르신이 아픕니다",
        neighbour_name=f"{WORDS} 이웃",
        how_to_reach=f"{PHONE}로 연락 주세요",
    )
    make_pledge_with_receipt(user, project=project)
    DonationPledge.objects.create(
        donor=user,
        project=project,
        kind=DonationPledge.Kind.GOODS,
        goods_description=f"{WORDS} 쌀 10kg",
        goods_quantity=2,
    )
    make_talent_offer(
        user,
        description=f"{WORDS}: 전등 고쳐 드립니다",
        availability=f"평일 오전, {PHONE}로 전화 주세요",
    )
    make_participation(user, project=project)

    survey = survey_with_questions(["awareness"], district=district)
    response = add_response(
        survey, {"awareness": 4}, at=timezone.now(), respondent=user, neighbourhood=neighbourhood
    )
    Answer.objects.create(
        response=response,
        question=survey.questions.get(kind=Question.Kind.TEXT),
        text=f"{WORDS}: 좋았어요",
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
        subject=f"{NAME} 님, 신청 소식",
        body=f"{NAME} 님, {WORDS} 신청을 받았습니다.",
    )
    staff = UserFactory.create(username="staff-viewer", is_staff=True)
    personal_data_access_record(
        viewer=staff,
        subject_user=user,
        view_name="queue:application",
        reason=PersonalDataAccess.Reason.CASE_REVIEW,
    )
    # An invitation to coordinate, never accepted: it names them by their email only.
    CoordinatorInvitation.objects.create(
        district=district,
        email=EMAIL.upper(),
        invited_by=staff,
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return user


def rows_holding(text: str) -> dict[str, int]:
    """Every table of the database, every row as text: the tables where ``text`` occurs."""
    found: dict[str, int] = {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = 'public'")
        tables = [name for (name,) in cursor.fetchall()]
        for table in tables:
            quoted = connection.ops.quote_name(table)
            cursor.execute(f"SELECT count(*) FROM {quoted} t WHERE t::text LIKE %s", [f"%{text}%"])
            (count,) = cursor.fetchone()  # type: ignore[misc]
            if count:
                found[table] = count
    return found


def test_after_deleting_their_account_no_table_holds_the_residents_words_or_phone(
    client: Client,
) -> None:
    user = resident_with_activity_everywhere(NeighbourhoodFactory.create())
    # A mistyped password first: the login limit counts it under the email typed.
    client.post(reverse("account_login"), {"login": EMAIL, "password": "wrong-password"})
    assert client.post(
        reverse("account_login"), {"login": EMAIL, "password": "welfare-test-password"}
    ).status_code in (200, 302)
    client.force_login(user)  # whatever the login page's next step, the resident is in
    assert rows_holding(WORDS) and rows_holding(PHONE) and rows_holding(EMAIL)

    response = client.post(reverse("matching:account_delete"))

    assert response.status_code == 302
    assert rows_holding(WORDS) == {}
    assert rows_holding(PHONE) == {}
    assert rows_holding(EMAIL) == {}
    assert not CoordinatorInvitation.objects.filter(email__iexact=EMAIL).exists()
    # Tax law keeps a donation receipt five years, with the donor's name on it.
    assert rows_holding(NAME) == {"donations_donationreceipt": 1}
    # The proposal keeps the rules met and the score, not the applicant's age and groups.
    assert MatchProposal.objects.get().reasons == {
        "version": 1,
        "rules": ["area", "target_groups"],
        "score": {"urgency": 300, "total": 300},
    }
    # The log of staff views stays (two years, by law), naming no words of theirs.
    assert PersonalDataAccess.objects.filter(subject_user=user).count() == 1


# --- every text field is declared -----------------------------------------------------------


def test_every_text_field_of_a_model_linked_to_an_account_is_declared_erased_or_kept() -> None:
    declared: dict[str, set[str]] = {}
    for declaration in declarations():
        declared.setdefault(declaration.model, set()).update(declaration.covered_fields())
    undeclared = []
    for model in linked_models():
        for field in model._meta.concrete_fields:
            free_text = isinstance(field, FREE_TEXT_FIELDS) and not field.choices
            if free_text and field.name not in declared.get(model._meta.label, set()):
                undeclared.append(f"{model._meta.label}.{field.name}")

    assert undeclared == [], "declare these in the app's personal_data.py"


def test_the_models_linked_to_an_account_include_those_two_steps_away() -> None:
    labels = {model._meta.label for model in linked_models()}

    assert {
        settings.AUTH_USER_MODEL,
        "surveys.Answer",  # answer -> response -> respondent
        "matching.ApplicationEvent",
        "donations.DonationReceipt",
        "axes.AccessAttempt",  # no key to the account: the login name typed
    } <= labels
    assert "projects.Project" not in labels


def test_a_declaration_names_real_fields_and_a_real_path_to_the_account() -> None:
    for declaration in declarations():
        model = apps.get_model(declaration.model)
        names = {field.name for field in model._meta.get_fields()}
        assert set(declaration.erase) <= names, declaration.model
        assert set(declaration.kept) <= names, declaration.model
        assert set(declaration.erased_elsewhere) <= names, declaration.model
        if isinstance(declaration.owner, str):
            model._default_manager.filter(**{declaration.owner: 0}).exists()

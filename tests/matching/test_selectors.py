import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from matching import selectors, services
from matching.models import SupportApplication
from projects.models import Area
from residents.models import Consent

from .factories import (
    ProjectFactory,
    UserFactory,
    make_participation,
    make_pledge_with_receipt,
    make_resident,
    make_talent_offer,
    submit_application,
    submit_referral,
)

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]

Status = SupportApplication.Status


def test_my_page_lists_only_the_residents_own_rows_newest_first() -> None:
    user = make_resident()
    other = make_resident(neighbourhood=user.profile.neighbourhood)
    project = ProjectFactory.create(district=user.profile.neighbourhood.district)
    older = submit_application(user)
    newer = submit_application(user)
    submit_application(other)
    referral = submit_referral(user)
    submit_referral(other)
    offer = make_talent_offer(user)
    make_talent_offer(other)
    pledge = make_pledge_with_receipt(user, project=project)
    make_pledge_with_receipt(other, project=project)
    participation = make_participation(user, project=project)

    page = selectors.my_page_for(user)

    assert [item.application for item in page.applications] == [newer, older]
    assert page.referrals == [referral]
    assert page.talent_offers == [offer]
    assert page.pledges == [pledge]
    assert page.participations == [participation]
    assert not page.is_empty


def test_my_page_gives_each_application_its_latest_event_in_plain_words() -> None:
    user = make_resident()
    application = submit_application(user)
    services.application_withdraw(application=application, by=user)

    (item,) = selectors.my_page_for(user).applications

    assert item.application.status == Status.WITHDRAWN
    assert str(item.latest_event_words) == str(selectors.EVENT_WORDS[Status.WITHDRAWN])
    assert item.latest_event_at is not None
    assert [str(label) for label in item.area_labels] == [str(Area.DONATION.label)]


def test_my_page_reads_a_full_history_in_five_queries(django_assert_num_queries) -> None:
    user = make_resident()
    project = ProjectFactory.create(district=user.profile.neighbourhood.district)
    for _ in range(30):
        services.application_withdraw(application=submit_application(user), by=user)
        submit_referral(user)
        make_talent_offer(user, project=project)
        make_pledge_with_receipt(user, project=project)
    make_participation(user, project=project)

    with django_assert_num_queries(5):
        page = selectors.my_page_for(user)
        for pledge in page.pledges:
            assert pledge.receipt.number
            assert pledge.project.title
        for offer in page.talent_offers:
            assert offer.project is not None
        for referral in page.referrals:
            assert referral.neighbourhood.name

    assert len(page.applications) == 30


def test_a_new_resident_has_an_empty_my_page() -> None:
    assert selectors.my_page_for(make_resident()).is_empty


@pytest.mark.parametrize("status", list(Status))
def test_the_withdraw_button_is_offered_exactly_where_the_service_allows_it(status: str) -> None:
    user = make_resident()
    application = submit_application(user)
    SupportApplication.objects.filter(pk=application.pk).update(status=status)
    application.refresh_from_db()

    offered = selectors.can_withdraw(application)
    try:
        services.application_withdraw(application=application, by=user)
        allowed = True
    except ValidationError:
        allowed = False

    assert offered == allowed


def test_the_timeline_shows_the_residents_own_note_but_never_a_staff_note() -> None:
    user = make_resident()
    coordinator = UserFactory.create()
    application = submit_application(user)
    services.application_transition(
        application=application,
        to_status=Status.ON_HOLD,
        allowed_from=[Status.PENDING],
        actor=coordinator,
        note="내부 메모: 소득 확인 필요",
    )
    services.application_withdraw(application=application, by=user, note="이사 갑니다")

    timeline = selectors.application_timeline(application)

    assert [entry.status for entry in timeline] == [
        Status.PENDING,
        Status.ON_HOLD,
        Status.WITHDRAWN,
    ]
    assert [entry.note for entry in timeline] == ["", "", "이사 갑니다"]


def test_progress_marks_the_steps_reached_and_the_current_one() -> None:
    user = make_resident()
    application = submit_application(user)
    application.status = Status.ACCEPTED

    steps = selectors.application_progress(application)

    assert [step.reached for step in steps] == [True, True, True, False]
    assert [step.current for step in steps] == [False, False, True, False]


def test_readiness_needs_a_profile_and_an_active_personal_consent() -> None:
    assert selectors.application_readiness(UserFactory.create()) == selectors.Readiness(
        profile=None, has_personal_consent=False
    )
    without = make_resident(consent=False)
    assert not selectors.application_readiness(without).has_personal_consent
    with_consent = make_resident()
    assert selectors.application_readiness(with_consent).has_personal_consent
    Consent.objects.filter(user=with_consent).update(withdrawn_at=timezone.now())
    assert not selectors.application_readiness(with_consent).has_personal_consent


def test_only_the_owner_finds_an_application_a_referral_or_a_receipt() -> None:
    owner = make_resident()
    stranger = make_resident()
    application = submit_application(owner)
    referral = submit_referral(owner)
    project = ProjectFactory.create(district=owner.profile.neighbourhood.district)
    receipt = make_pledge_with_receipt(owner, project=project).receipt

    assert selectors.application_of(user=owner, public_id=application.public_id) == application
    assert selectors.application_of(user=stranger, public_id=application.public_id) is None
    assert selectors.referral_of(user=owner, public_id=referral.public_id) == referral
    assert selectors.referral_of(user=stranger, public_id=referral.public_id) is None
    assert selectors.receipt_of(user=owner, pk=receipt.pk) == receipt
    assert selectors.receipt_of(user=stranger, pk=receipt.pk) is None


def test_open_projects_are_the_open_ones_of_the_residents_district() -> None:
    user = make_resident()
    district = user.profile.neighbourhood.district
    open_here = ProjectFactory.create(district=district, title="가")
    ProjectFactory.create(district=district, status="closed")
    ProjectFactory.create()

    assert list(selectors.open_projects_for(user.profile)) == [open_here]

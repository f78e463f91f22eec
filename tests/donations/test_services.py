import datetime
import threading
import uuid
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.utils import timezone

from donations import services
from donations.models import DonationPledge, DonationReceipt, ReceiptSequence
from donations.services import (
    pledge_cancel,
    pledge_create,
    pledge_mark_received,
    receipt_issue,
)
from projects.models import Project
from tests.donations.factories import GoodsPledgeFactory, MoneyPledgeFactory
from tests.residents.factories import (
    DistrictFactory,
    OrganisationFactory,
    ProjectFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db


def _error_fields(error: pytest.ExceptionInfo[ValidationError]) -> set[str]:
    return set(error.value.message_dict)


# --- pledge_create ---------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [None, 0, -1000, 1000.5, True])
def test_a_money_pledge_without_a_positive_whole_won_amount_is_refused_naming_the_amount(
    amount: object,
) -> None:
    with pytest.raises(ValidationError) as error:
        pledge_create(
            donor=UserFactory.create(),
            project=ProjectFactory.create(),
            kind=DonationPledge.Kind.MONEY,
            amount_won=amount,  # type: ignore[arg-type]
        )

    assert _error_fields(error) == {"amount_won"}
    assert not DonationPledge.objects.exists()


def test_a_goods_pledge_without_description_or_quantity_names_both_fields() -> None:
    with pytest.raises(ValidationError) as error:
        pledge_create(
            donor=UserFactory.create(),
            project=ProjectFactory.create(),
            kind=DonationPledge.Kind.GOODS,
            goods_description="   ",
            goods_quantity=0,
        )

    assert _error_fields(error) == {"goods_description", "goods_quantity"}


def test_a_goods_pledge_with_an_amount_is_refused_naming_the_amount() -> None:
    with pytest.raises(ValidationError) as error:
        pledge_create(
            donor=UserFactory.create(),
            project=ProjectFactory.create(),
            kind=DonationPledge.Kind.GOODS,
            amount_won=10_000,
            goods_description="라면",
            goods_quantity=5,
        )

    assert _error_fields(error) == {"amount_won"}


@pytest.mark.parametrize(
    "status", [Project.Status.DRAFT, Project.Status.PAUSED, Project.Status.CLOSED]
)
def test_a_pledge_to_a_project_that_is_not_open_is_refused_naming_the_project(
    status: str,
) -> None:
    with pytest.raises(ValidationError) as error:
        pledge_create(
            donor=UserFactory.create(),
            project=ProjectFactory.create(status=status),
            kind=DonationPledge.Kind.MONEY,
            amount_won=10_000,
        )

    assert _error_fields(error) == {"project"}


def test_an_unknown_kind_of_pledge_is_refused_naming_the_kind() -> None:
    with pytest.raises(ValidationError) as error:
        pledge_create(
            donor=UserFactory.create(), project=ProjectFactory.create(), kind="shares", amount_won=1
        )

    assert _error_fields(error) == {"kind"}


def test_valid_money_and_goods_pledges_are_recorded_as_pledged() -> None:
    donor = UserFactory.create()
    project = ProjectFactory.create()

    money = pledge_create(
        donor=donor, project=project, kind=DonationPledge.Kind.MONEY, amount_won=30_000
    )
    goods = pledge_create(
        donor=donor,
        project=project,
        kind=DonationPledge.Kind.GOODS,
        goods_description=" 겨울 이불 ",
        goods_quantity=2,
        anonymous=True,
    )

    money.refresh_from_db()
    goods.refresh_from_db()
    assert (money.status, money.amount_won, money.goods_quantity) == ("pledged", 30_000, None)
    assert (goods.goods_description, goods.goods_quantity, goods.amount_won) == (
        "겨울 이불",
        2,
        None,
    )
    assert goods.anonymous


# --- pledge_mark_received and receipt_issue --------------------------------------------------


def test_marking_a_money_pledge_received_issues_exactly_one_receipt_with_copied_fields() -> None:
    district = DistrictFactory.create(code="jungnang")
    organisation = OrganisationFactory.create(district=district, name="중랑구 나눔복지관")
    project = ProjectFactory.create(district=district, organisation=organisation)
    donor = UserFactory.create(first_name="길동", last_name="홍")
    pledge = MoneyPledgeFactory.create(donor=donor, project=project, amount_won=120_000)

    received = pledge_mark_received(pledge=pledge)

    receipt = DonationReceipt.objects.get()
    today = timezone.localdate(timezone=ZoneInfo("Asia/Seoul"))
    assert received.status == DonationPledge.Status.RECEIVED
    assert received.received_at is not None
    assert receipt.pledge_id == pledge.pk
    assert receipt.number == f"JUNGNANG-{today.year}-000001"
    assert (receipt.district_id, receipt.year, receipt.serial) == (district.pk, today.year, 1)
    assert receipt.issued_on == today
    assert receipt.amount_won == 120_000
    assert receipt.donor_name == donor.get_full_name()
    assert receipt.organisation_id == organisation.pk
    assert receipt.organisation_name == "중랑구 나눔복지관"


def test_a_receipt_copies_the_organisation_name_so_a_rename_does_not_change_it() -> None:
    pledge = MoneyPledgeFactory.create()
    pledge_mark_received(pledge=pledge)
    organisation = pledge.project.organisation
    original_name = organisation.name

    organisation.name = "새 이름 복지관"
    organisation.save()

    assert DonationReceipt.objects.get().organisation_name == original_name


def test_an_anonymous_pledge_still_gets_a_receipt_in_the_donors_real_name() -> None:
    donor = UserFactory.create(first_name="", last_name="", username="kimdonor")
    pledge = MoneyPledgeFactory.create(donor=donor, anonymous=True)

    pledge_mark_received(pledge=pledge)

    assert DonationReceipt.objects.get().donor_name == "kimdonor"


def test_marking_a_goods_pledge_received_issues_no_receipt() -> None:
    pledge = GoodsPledgeFactory.create()

    received = pledge_mark_received(pledge=pledge)

    assert received.status == DonationPledge.Status.RECEIVED
    assert not DonationReceipt.objects.exists()
    assert not ReceiptSequence.objects.exists()


def test_marking_a_pledge_received_twice_is_refused_and_changes_nothing() -> None:
    pledge = MoneyPledgeFactory.create()
    first = pledge_mark_received(pledge=pledge)
    receipt = DonationReceipt.objects.get()

    with pytest.raises(ValidationError) as error:
        pledge_mark_received(pledge=pledge, received_at=timezone.now())

    assert _error_fields(error) == {"status"}
    pledge.refresh_from_db()
    assert pledge.received_at == first.received_at
    assert list(DonationReceipt.objects.values_list("pk", "number")) == [
        (receipt.pk, receipt.number)
    ]
    assert ReceiptSequence.objects.get().last_serial == 1


def test_a_received_date_in_the_future_is_refused_naming_the_field() -> None:
    pledge = MoneyPledgeFactory.create()

    with pytest.raises(ValidationError) as error:
        pledge_mark_received(pledge=pledge, received_at=timezone.now() + datetime.timedelta(days=1))

    assert _error_fields(error) == {"received_at"}
    pledge.refresh_from_db()
    assert pledge.status == DonationPledge.Status.PLEDGED
    assert not DonationReceipt.objects.exists()


def test_a_given_received_date_is_kept() -> None:
    when = timezone.now() - datetime.timedelta(days=3)

    received = pledge_mark_received(pledge=GoodsPledgeFactory.create(), received_at=when)

    assert received.received_at == when


def test_receipt_issue_refuses_a_second_receipt_for_the_same_pledge() -> None:
    pledge = MoneyPledgeFactory.create()
    pledge_mark_received(pledge=pledge)

    with pytest.raises(ValidationError):
        receipt_issue(pledge=pledge)

    assert DonationReceipt.objects.count() == 1
    assert ReceiptSequence.objects.get().last_serial == 1


def test_receipt_issue_refuses_a_pledge_not_yet_received_and_a_goods_pledge() -> None:
    with pytest.raises(ValidationError) as not_received:
        receipt_issue(pledge=MoneyPledgeFactory.create())
    with pytest.raises(ValidationError) as goods:
        receipt_issue(pledge=GoodsPledgeFactory.create(received=True))

    assert _error_fields(not_received) == {"status"}
    assert _error_fields(goods) == {"kind"}
    assert not DonationReceipt.objects.exists()


def test_a_cancelled_pledge_cannot_be_marked_received_nor_cancelled_again() -> None:
    pledge = MoneyPledgeFactory.create()

    cancelled = pledge_cancel(pledge=pledge)

    assert cancelled.status == DonationPledge.Status.CANCELLED
    with pytest.raises(ValidationError):
        pledge_mark_received(pledge=pledge)
    with pytest.raises(ValidationError):
        pledge_cancel(pledge=pledge)
    pledge.refresh_from_db()
    assert pledge.status == DonationPledge.Status.CANCELLED
    assert not DonationReceipt.objects.exists()


def test_a_received_pledge_cannot_be_cancelled() -> None:
    pledge = MoneyPledgeFactory.create()
    pledge_mark_received(pledge=pledge)

    with pytest.raises(ValidationError) as error:
        pledge_cancel(pledge=pledge)

    assert _error_fields(error) == {"status"}
    pledge.refresh_from_db()
    assert pledge.status == DonationPledge.Status.RECEIVED


# --- numbering -------------------------------------------------------------------------------


def test_receipt_numbers_restart_at_one_in_a_new_year(monkeypatch: pytest.MonkeyPatch) -> None:
    project = ProjectFactory.create(district=DistrictFactory.create(code="jungnang"))
    pledges = MoneyPledgeFactory.create_batch(3, project=project, received=True)

    monkeypatch.setattr(services, "_seoul_today", lambda: datetime.date(2026, 12, 31))
    receipt_issue(pledge=pledges[0])
    receipt_issue(pledge=pledges[1])
    monkeypatch.setattr(services, "_seoul_today", lambda: datetime.date(2027, 1, 1))
    receipt_issue(pledge=pledges[2])

    assert list(DonationReceipt.objects.order_by("pk").values_list("number", flat=True)) == [
        "JUNGNANG-2026-000001",
        "JUNGNANG-2026-000002",
        "JUNGNANG-2027-000001",
    ]
    assert DonationReceipt.objects.order_by("pk").last().issued_on == datetime.date(2027, 1, 1)  # type: ignore[union-attr]


def test_two_districts_number_their_receipts_independently() -> None:
    east = ProjectFactory.create(district=DistrictFactory.create(code="east"))
    west = ProjectFactory.create(district=DistrictFactory.create(code="west"))
    year = timezone.localdate(timezone=ZoneInfo("Asia/Seoul")).year

    for project in (east, west, east):
        pledge_mark_received(pledge=MoneyPledgeFactory.create(project=project))

    assert sorted(DonationReceipt.objects.values_list("number", flat=True)) == [
        f"EAST-{year}-000001",
        f"EAST-{year}-000002",
        f"WEST-{year}-000001",
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_receipts_issued_concurrently_from_eight_threads_are_numbered_without_gaps_or_repeats() -> (
    None
):
    project = ProjectFactory.create(district=DistrictFactory.create(code="jungnang"))
    pledges = MoneyPledgeFactory.create_batch(20, project=project, received=True)
    threads_count = 8
    start = threading.Barrier(threads_count)
    failures: list[BaseException] = []

    def issue(share: list[DonationPledge]) -> None:
        try:
            start.wait()
            for pledge in share:
                receipt_issue(pledge=pledge)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=issue, args=(pledges[i::threads_count],))
        for i in range(threads_count)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    receipts = list(DonationReceipt.objects.values_list("serial", "number", "pledge_id"))
    assert sorted(serial for serial, _, _ in receipts) == list(range(1, 21))
    assert len({number for _, number, _ in receipts}) == 20
    assert {pledge_id for _, _, pledge_id in receipts} == {pledge.pk for pledge in pledges}
    assert ReceiptSequence.objects.get().last_serial == 20


# --- the form's one-time submission key ------------------------------------------------------


def test_the_same_submission_key_twice_returns_the_first_pledge_unchanged() -> None:
    donor, project, key = UserFactory.create(), ProjectFactory.create(), uuid.uuid4()

    first = pledge_create(
        donor=donor, project=project, kind="money", amount_won=30_000, submission_key=key
    )
    second = pledge_create(
        donor=donor, project=project, kind="money", amount_won=99_000, submission_key=key
    )

    assert second.pk == first.pk
    assert DonationPledge.objects.get().amount_won == 30_000
    assert DonationPledge.objects.get().submission_key == key


def test_another_donors_submission_key_is_refused() -> None:
    project, key = ProjectFactory.create(), uuid.uuid4()
    pledge_create(
        donor=UserFactory.create(), project=project, kind="money", amount_won=1, submission_key=key
    )

    with pytest.raises(ValidationError):
        pledge_create(
            donor=UserFactory.create(),
            project=project,
            kind="money",
            amount_won=1,
            submission_key=key,
        )

    assert DonationPledge.objects.count() == 1


def test_pledges_made_without_a_submission_key_are_each_recorded() -> None:
    donor, project = UserFactory.create(), ProjectFactory.create()

    for _ in range(2):
        pledge_create(donor=donor, project=project, kind="money", amount_won=10_000)

    assert DonationPledge.objects.filter(submission_key__isnull=True).count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_same_submission_key_sent_from_six_threads_at_once_records_one_pledge() -> None:
    donor, project, key = UserFactory.create(), ProjectFactory.create(), uuid.uuid4()
    threads_count = 6
    start = threading.Barrier(threads_count)
    pledge_ids: list[int] = []
    failures: list[BaseException] = []

    def send() -> None:
        try:
            start.wait()
            pledge = pledge_create(
                donor=donor, project=project, kind="money", amount_won=5_000, submission_key=key
            )
            pledge_ids.append(pledge.pk)
        except BaseException as error:  # reported by the main thread
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(threads_count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert failures == []
    assert DonationPledge.objects.count() == 1
    assert set(pledge_ids) == {DonationPledge.objects.get().pk}
    assert len(pledge_ids) == threads_count

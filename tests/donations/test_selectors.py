import pytest

from donations.selectors import (
    DonationTotals,
    donation_totals_for_project,
    pledge_public_donor_name,
    pledges_for_donor,
)
from donations.services import pledge_cancel, pledge_mark_received
from tests.donations.factories import GoodsPledgeFactory, MoneyPledgeFactory
from tests.residents.factories import ProjectFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_donation_totals_count_received_money_and_pledges_but_not_cancelled_ones() -> None:
    project = ProjectFactory.create()
    for amount in (10_000, 25_000):
        pledge_mark_received(pledge=MoneyPledgeFactory.create(project=project, amount_won=amount))
    pledge_mark_received(pledge=GoodsPledgeFactory.create(project=project))
    MoneyPledgeFactory.create(project=project, amount_won=99_000)
    pledge_cancel(pledge=MoneyPledgeFactory.create(project=project, amount_won=500_000))
    MoneyPledgeFactory.create(amount_won=1_000_000)  # another project
    MoneyPledgeFactory.create(amount_won=70_000)

    totals = donation_totals_for_project(project=project)

    assert totals == DonationTotals(money_received_won=35_000, received_count=3, pledged_count=1)


def test_donation_totals_of_a_project_without_pledges_are_zero() -> None:
    assert donation_totals_for_project(project=ProjectFactory.create()) == DonationTotals(0, 0, 0)


def test_a_donor_sees_only_their_own_pledges_with_project_and_receipt_in_one_query(
    django_assert_num_queries,
) -> None:
    donor = UserFactory.create()
    pledge_mark_received(pledge=MoneyPledgeFactory.create(donor=donor))
    GoodsPledgeFactory.create(donor=donor)
    MoneyPledgeFactory.create()

    with django_assert_num_queries(1):
        pledges = list(pledges_for_donor(donor=donor))
        numbers = [getattr(p, "receipt", None) and p.receipt.number for p in pledges]
        titles = [p.project.title for p in pledges]

    assert {p.donor_id for p in pledges} == {donor.pk}
    assert len(pledges) == 2
    assert sum(1 for number in numbers if number) == 1
    assert len(titles) == 2


def test_an_anonymous_pledge_hides_the_donor_name_in_public() -> None:
    donor = UserFactory.create(first_name="길동", last_name="홍")
    named = MoneyPledgeFactory.create(donor=donor)
    anonymous = MoneyPledgeFactory.create(donor=donor, anonymous=True)

    assert pledge_public_donor_name(pledge=named) == donor.get_full_name()
    assert pledge_public_donor_name(pledge=anonymous) != donor.get_full_name()
    assert str(pledge_public_donor_name(pledge=anonymous)) in {"Anonymous", "익명"}

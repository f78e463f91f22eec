"""Factories for the donations tests."""

import factory
from django.utils import timezone

from donations.models import DonationPledge
from tests.residents.factories import ProjectFactory, UserFactory


class MoneyPledgeFactory(factory.django.DjangoModelFactory[DonationPledge]):
    """A money pledge; ``received=True`` makes it received (and without a receipt yet)."""

    class Meta:
        model = DonationPledge

    class Params:
        received = factory.Trait(
            status=DonationPledge.Status.RECEIVED,
            received_at=factory.LazyFunction(timezone.now),
        )

    donor = factory.SubFactory(UserFactory)
    project = factory.SubFactory(ProjectFactory)
    kind = DonationPledge.Kind.MONEY
    amount_won: int | None = 50_000


class GoodsPledgeFactory(MoneyPledgeFactory):
    kind = DonationPledge.Kind.GOODS
    amount_won = None
    goods_description = "쌀 10kg"
    goods_quantity = 3

"""Factories for the talents tests."""

import factory

from talents.models import TalentOffer
from tests.residents.factories import UserFactory


class TalentOfferFactory(factory.django.DjangoModelFactory[TalentOffer]):
    class Meta:
        model = TalentOffer
        skip_postgeneration_save = True

    resident = factory.SubFactory(UserFactory)
    category = TalentOffer.Category.REPAIRS
    description = "전등과 수도꼭지를 고쳐 드립니다."

    @factory.post_generation
    def neighbourhoods(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.neighbourhoods.set(extracted)  # type: ignore[attr-defined]

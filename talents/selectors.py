"""Reads about talent offers."""

from django.db.models import Exists, OuterRef, Q

from .models import TalentOffer


def talent_offers_in_district_q(*, district_id: int) -> Q:
    """The offers that belong to a district: those offered in one of its neighbourhoods, and
    those naming no neighbourhood (offered anywhere) whose resident lives in it.

    Built from subqueries rather than joins, so an offer listing several neighbourhoods of
    the district appears once."""
    offer_neighbourhoods = TalentOffer.neighbourhoods.through.objects.filter(
        talentoffer_id=OuterRef("pk")
    )
    return Q(Exists(offer_neighbourhoods.filter(neighbourhood__district_id=district_id))) | (
        ~Q(Exists(offer_neighbourhoods))
        & Q(resident__profile__neighbourhood__district_id=district_id)
    )

"""Reads about talent offers."""

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from projects.models import Area, Neighbourhood, Project
from residents.models import ResidentProfile, User

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


def talent_offers_of(*, resident: User) -> QuerySet[TalentOffer]:
    """A resident's own talent offers, newest first, with their project and neighbourhoods
    (two queries)."""
    return (
        TalentOffer.objects.filter(resident_id=resident.pk)
        .select_related("project")
        .prefetch_related("neighbourhoods")
        .order_by("-created_at", "-pk")
    )


def neighbourhoods_for_offer(*, resident: User) -> QuerySet[Neighbourhood]:
    """Where a resident may offer a talent: the neighbourhoods of their own district when
    they have a profile, otherwise every neighbourhood, by district."""
    district_id = (
        ResidentProfile.objects.filter(user_id=resident.pk)
        .values_list("neighbourhood__district_id", flat=True)
        .first()
    )
    neighbourhoods = Neighbourhood.objects.select_related("district")
    if district_id is not None:
        return neighbourhoods.filter(district_id=district_id).order_by("name", "pk")
    return neighbourhoods.order_by("district__name", "district_id", "name", "pk")


def talent_project_open(*, pk: str) -> Project | None:
    """The open talent-sharing project with this primary key (as typed in an address), or
    None."""
    if not (pk.isascii() and pk.isdigit()):
        return None
    return Project.objects.filter(pk=int(pk), area=Area.TALENT, status=Project.Status.OPEN).first()


def personal_data_of(*, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """A resident's talent offers, for their request of access. Two queries."""
    offers = (
        TalentOffer.objects.filter(resident_id=user_id)
        .select_related("project")
        .prefetch_related("neighbourhoods")
        .order_by("created_at", "pk")
    )
    return {
        "talent_offers": [
            {
                "category": offer.category,
                "description": offer.description,
                "availability": offer.availability,
                "neighbourhoods": sorted(n.name for n in offer.neighbourhoods.all()),
                "status": offer.status,
                "project": offer.project.title if offer.project else None,
                "offered_at": offer.created_at,
            }
            for offer in offers
        ]
    }

"""Reads behind the home page and the public figures (this app reads every app, writes none)."""

import dataclasses
from datetime import datetime

from django.contrib.auth.base_user import AbstractBaseUser
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from donations.models import DonationPledge
from projects.models import Neighbourhood, Participation, Project
from residents.models import ResidentProfile
from talents.models import TalentOffer

HOME_FIGURES_CACHE_KEY = "impact:home_headline_figures:v1"
HOME_FIGURES_TIMEOUT = 5 * 60  # seconds; the figures name nobody, so everyone may share them


@dataclasses.dataclass(frozen=True)
class HeadlineFigures:
    open_projects: int
    participants: int
    projects_this_year: int


def _compute_headline_figures() -> HeadlineFigures:
    start_of_year = timezone.make_aware(datetime(timezone.localdate().year, 1, 1))
    projects = Project.objects.aggregate(
        open_projects=Count("pk", filter=Q(status=Project.Status.OPEN)),
        # Drafts are not yet registered for the public.
        projects_this_year=Count(
            "pk", filter=Q(created_at__gte=start_of_year) & ~Q(status=Project.Status.DRAFT)
        ),
    )
    # UNION (not UNION ALL) keeps each resident once, whichever ways they took part.
    participants = (
        Participation.objects.order_by()
        .values("resident_id")
        .union(
            DonationPledge.objects.order_by().values("donor_id"),
            TalentOffer.objects.order_by().values("resident_id"),
        )
        .count()
    )
    return HeadlineFigures(
        open_projects=projects["open_projects"],
        participants=participants,
        projects_this_year=projects["projects_this_year"],
    )


def home_headline_figures() -> HeadlineFigures:
    """Open projects, participants so far (distinct residents who joined a project, pledged a
    donation or offered a talent) and projects registered this year (Asia/Seoul), cached for
    five minutes.

    Stand-ins until the impact page computes the district's full set of figures.
    """
    cached = cache.get(HOME_FIGURES_CACHE_KEY)
    if isinstance(cached, dict):
        try:
            return HeadlineFigures(**cached)
        except TypeError:
            pass  # written by an older shape of the dataclass: compute afresh
    figures = _compute_headline_figures()
    cache.set(HOME_FIGURES_CACHE_KEY, dataclasses.asdict(figures), HOME_FIGURES_TIMEOUT)
    return figures


def home_neighbourhood_for(user: AbstractBaseUser | AnonymousUser) -> Neighbourhood | None:
    """The neighbourhood of a logged-in resident's profile, or None."""
    if not user.is_authenticated:
        return None
    profile = (
        ResidentProfile.objects.select_related("neighbourhood").filter(user_id=user.pk).first()
    )
    return profile.neighbourhood if profile else None

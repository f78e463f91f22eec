"""Reads about donations."""

from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Case, Count, Q, QuerySet, Sum, Value, When
from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrOrPromise

from projects.models import Area, Project
from residents.models import User

from .models import DonationPledge, DonationReceipt


def pledges_for_donor(*, donor: User) -> QuerySet[DonationPledge]:
    """A donor's own pledges, newest first, with their project and receipt (for "my page")."""
    return DonationPledge.objects.filter(donor_id=donor.pk).select_related("project", "receipt")


def receipts_for_donor(*, donor: User) -> QuerySet[DonationReceipt]:
    """The receipts of a donor's own pledges, newest first, with their project and
    district."""
    return (
        DonationReceipt.objects.filter(pledge__donor_id=donor.pk)
        .select_related("pledge__project", "district")
        .order_by("-issued_on", "-serial", "-pk")
    )


def project_open_for_pledges(*, public_id: UUID) -> Project | None:
    """The open project of any district with this public id, or None: what a pledge may
    name."""
    return Project.objects.filter(public_id=public_id, status=Project.Status.OPEN).first()


def pledge_public_donor_name(*, pledge: DonationPledge) -> StrOrPromise:
    """The donor's name as the public may see it: hidden for an anonymous pledge."""
    if pledge.anonymous:
        return _("Anonymous")
    return pledge.donor.get_full_name() or pledge.donor.get_username()


@dataclass(frozen=True)
class DonationTotals:
    money_received_won: int
    received_count: int
    pledged_count: int


def donation_totals_for_project(*, project: Project) -> DonationTotals:
    """What a project has received so far (money in won, and how many pledges), in one query.
    Cancelled pledges count nowhere."""
    totals = DonationPledge.objects.filter(project=project).aggregate(
        money=Sum(
            "amount_won",
            filter=Q(status=DonationPledge.Status.RECEIVED, kind=DonationPledge.Kind.MONEY),
            default=0,
        ),
        received=Count("pk", filter=Q(status=DonationPledge.Status.RECEIVED)),
        pledged=Count("pk", filter=Q(status=DonationPledge.Status.PLEDGED)),
    )
    return DonationTotals(
        money_received_won=totals["money"],
        received_count=totals["received"],
        pledged_count=totals["pledged"],
    )


def projects_open_for_pledges() -> list[Project]:
    """Every open project of any district a resident may pledge to, with its district:
    donation-area projects first, then the others, each by title. One query."""
    return list(
        Project.objects.filter(status=Project.Status.OPEN)
        .select_related("district")
        .order_by(
            Case(When(area=Area.DONATION, then=Value(0)), default=Value(1)),
            "title",
            "pk",
        )
    )


def personal_data_of(*, user_id: int) -> dict[str, list[dict[str, Any]]]:
    """A resident's pledges, each with its receipt, for their request of access. One query."""
    pledges = (
        DonationPledge.objects.filter(donor_id=user_id)
        .select_related("project", "receipt")
        .order_by("created_at", "pk")
    )
    return {"donation_pledges": [_pledge_data(pledge) for pledge in pledges]}


def _pledge_data(pledge: DonationPledge) -> dict[str, Any]:
    receipt = getattr(pledge, "receipt", None)
    return {
        "project": pledge.project.title,
        "kind": pledge.kind,
        "amount_won": pledge.amount_won,
        "goods": pledge.goods_description,
        "goods_quantity": pledge.goods_quantity,
        "status": pledge.status,
        "anonymous": pledge.anonymous,
        "pledged_at": pledge.created_at,
        "received_at": pledge.received_at,
        "receipt": None
        if receipt is None
        else {
            "number": receipt.number,
            "issued_on": receipt.issued_on,
            "amount_won": receipt.amount_won,
            "donor_name": receipt.donor_name,
            "organisation": receipt.organisation_name,
        },
    }

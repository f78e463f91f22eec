"""The queue API's query parameters: the website's tabs, filters and orders."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _
from rest_framework.request import Request

from projects.filters import IdChoiceFilter
from projects.models import Area, Neighbourhood

from ..models import Urgency
from . import selectors
from .scope import requester_scope


def _neighbourhoods_in_scope(request: Request | None) -> QuerySet[Neighbourhood]:
    scope = requester_scope(request) if request is not None else None
    if scope is None:
        return Neighbourhood.objects.none()
    return Neighbourhood.objects.filter(pk__in=[n.pk for n in scope.neighbourhoods])


class QueueFilter(django_filters.FilterSet):
    """One tab of the requester's queue, narrowed and ordered as on the website.

    The conditions are not applied one by one: together they are the selector's
    ``QueueFilters``, and ``selectors.queue_rows`` picks, filters and orders the rows exactly
    as for the website's list. That is also why ``ordering`` is one of the queue's two orders
    rather than DRF's field ordering: a tab's rows are proposals, applications or referrals,
    which keep their urgency and waiting time in different places.

    A neighbourhood outside the requester's is not a choice (400), unlike on the website,
    which quietly shows all of them instead.
    """

    tab = django_filters.ChoiceFilter(
        label=_("Tab"), choices=list(selectors.TABS.items()), method="as_selector_says"
    )
    neighbourhood = IdChoiceFilter(
        label=_("Neighbourhood"), queryset=_neighbourhoods_in_scope, method="as_selector_says"
    )
    area = django_filters.ChoiceFilter(
        label=_("Area"), choices=Area.choices, method="as_selector_says"
    )
    urgency = django_filters.TypedChoiceFilter(
        label=_("Urgency"), choices=Urgency.choices, coerce=int, method="as_selector_says"
    )
    age = django_filters.ChoiceFilter(
        label=_("Waiting"),
        choices=[
            (selectors.AGE_OVER_3, _("Over 3 days")),
            (selectors.AGE_OVER_7, _("Over 7 days")),
        ],
        method="as_selector_says",
    )
    ordering = django_filters.ChoiceFilter(
        label=_("Order"),
        choices=[
            (selectors.SORT_URGENCY, _("Most urgent first, then longest waiting")),
            (selectors.SORT_WAITING, _("Longest waiting first")),
        ],
        method="as_selector_says",
    )

    def as_selector_says(self, queryset: QuerySet[Any], name: str, value: Any) -> QuerySet[Any]:
        return queryset  # see filter_queryset

    def queue_filters(self) -> selectors.QueueFilters:
        data = self.form.cleaned_data
        neighbourhood = data.get("neighbourhood")
        return selectors.QueueFilters(
            tab=data.get("tab") or selectors.TAB_PROPOSALS,
            neighbourhood_id=neighbourhood.pk if neighbourhood is not None else None,
            area=data.get("area") or "",
            urgency=data.get("urgency") or None,
            age=data.get("age") or "",
            sort=data.get("ordering") or selectors.SORT_URGENCY,
        )

    def filter_queryset(self, queryset: QuerySet[Any]) -> QuerySet[Any]:
        scope = requester_scope(self.request)
        if scope is None:  # the door's permission lets no one without a queue this far
            return queryset.none()
        return selectors.queue_rows(scope, self.queue_filters())

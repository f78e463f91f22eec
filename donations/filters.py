"""Filters of the donor's own pledges in the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import DonationPledge


class PledgeFilter(django_filters.FilterSet):
    """``status=received`` (repeat it for several), ``kind=money``."""

    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=DonationPledge.Status.choices
    )
    kind = django_filters.ChoiceFilter(label=_("Kind"), choices=DonationPledge.Kind.choices)

    class Meta:
        model = DonationPledge
        fields: list[str] = []

"""Filters of the resident's own talent offers in the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import TalentOffer


class TalentOfferFilter(django_filters.FilterSet):
    """``status=offered`` (repeat it for several)."""

    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=TalentOffer.Status.choices
    )

    class Meta:
        model = TalentOffer
        fields: list[str] = []

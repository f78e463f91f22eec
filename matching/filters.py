"""Filters of the resident's own lists in the API."""

import django_filters
from django.utils.translation import gettext_lazy as _

from .models import Referral, SupportApplication


class ApplicationFilter(django_filters.FilterSet):
    """``status=pending`` (repeat it for several)."""

    status = django_filters.MultipleChoiceFilter(
        label=_("Status"), choices=SupportApplication.Status.choices
    )

    class Meta:
        model = SupportApplication
        fields: list[str] = []


class ReferralFilter(django_filters.FilterSet):
    """``status=received`` (repeat it for several)."""

    status = django_filters.MultipleChoiceFilter(label=_("Status"), choices=Referral.Status.choices)

    class Meta:
        model = Referral
        fields: list[str] = []

"""How the impact pages write a figure: a hidden small group, a missing rate, a sign."""

from decimal import Decimal

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils.translation import gettext as _

from impact.definitions import SMALL_GROUP_THRESHOLD

register = template.Library()


@register.filter
def count(value: int | None) -> str:
    """A count of people; None is a small group, never shown."""
    if value is None:
        return _("fewer than %(n)s") % {"n": SMALL_GROUP_THRESHOLD}
    return str(intcomma(value))


@register.filter
def percent(value: Decimal | None) -> str:
    """A share in per cent with one decimal; None (nothing to divide by) is a dash."""
    if value is None:
        return "—"
    return f"{value:.1f}%"


@register.filter
def signed_percent(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:+.1f}%"


@register.filter
def ratio(value: Decimal | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f}"

"""Small helpers for the public pages: names in the reader's language, links that may not exist."""

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse
from django.utils.translation import get_language

from projects.models import HouseholdType

register = template.Library()


@register.filter
def local_name(obj: Any) -> str:
    """``name_en`` for English readers where it is filled in, otherwise the Korean ``name``."""
    name_en = getattr(obj, "name_en", "")
    if name_en and (get_language() or "").startswith("en"):
        return str(name_en)
    return str(getattr(obj, "name", obj))


@register.filter
def household_labels(codes: Any) -> list[str]:
    """The household types of a project in words; unknown codes are left out."""
    if not isinstance(codes, list):
        return []
    return [str(HouseholdType(code).label) for code in codes if code in HouseholdType.values]


@register.simple_tag
def url_if_exists(viewname: str, *args: Any) -> str:
    """The URL of ``viewname``, or "" while that page is not built yet.

    Pages other parts of the site provide (apply, refer, pledge, offer a talent) appear as
    buttons only once their URL exists, so these pages work before and after.
    """
    try:
        return reverse(viewname, args=args or None)
    except NoReverseMatch:
        return ""

"""What each figure means, written once: the page's footnotes, the API schema and the figures'
docstring all read these texts. And the small-group rule, also once.

The texts are marked with ``gettext_noop`` so the English stays available at import time (for
the docstrings) while the lazy mapping translates on use.
"""

from django.utils.translation import gettext_lazy, gettext_noop
from django_stubs_ext import StrPromise

from surveys.selectors import SURVEY_RESULT_DEFINITION_TEXT
from visitors.selectors import VISITORS_DEFINITION_TEXT

# Fewer people than this in a cell of a breakdown (or behind a filtered total, or answering a
# survey) and the number is not shown: a neighbourhood's three applicants must not be findable.
SMALL_GROUP_THRESHOLD = 5


def suppress(count: int, *, threshold: int = SMALL_GROUP_THRESHOLD) -> int | None:
    """``count``, or None when it counts 1 to ``threshold - 1`` people.

    Zero is shown: it names nobody, and an empty month should read "0", not "fewer than 5".
    """
    return None if 0 < count < threshold else count


_TEXTS: dict[str, str] = {
    "participants": gettext_noop(
        "Participants: different residents who, in the period, applied for support, pledged "
        "a donation (cancelled pledges aside), offered a talent, referred a neighbour or "
        "joined a project (cancelled places aside). Someone who did several of these counts "
        "once. With a district or neighbourhood chosen, residents count where they live; with "
        "an area chosen, only what they did in that area counts (talent offers belong to "
        "talent sharing, referrals to neighbour networks)."
    ),
    "participants_growth": gettext_noop(
        "Growth: participants in the period divided by participants in the period of the "
        "same length just before it (for whole months, the same number of months before). "
        "Shown as “—” when that earlier period had none."
    ),
    "projects": gettext_noop(
        "Projects: sharing projects registered in the period, by the day they were entered "
        "(drafts not counted). With a neighbourhood chosen, the projects serving it or the "
        "whole district."
    ),
    "projects_change_pct": gettext_noop(
        "Change: projects in the period against the period of the same length just before "
        "it, in per cent. Shown as “—” when that earlier period had none."
    ),
    "applications": gettext_noop(
        "Applications: support applications submitted in the period, by residents or by a "
        "coordinator on a neighbour's behalf."
    ),
    "connections": gettext_noop(
        "Connections: of those applications, the ones that led to support actually "
        "delivered, as recorded by a coordinator (whenever it was recorded)."
    ),
    "connection_rate": gettext_noop(
        "Connection rate: connections divided by applications, in per cent with one decimal. "
        "Shown as “—” when there were no applications."
    ),
    "funnel": gettext_noop(
        "Steps to support: of the period's applications, how many were ever proposed a "
        "project by matching, accepted by a coordinator, and delivered."
    ),
    "by_month": gettext_noop(
        "By month: applications and connections by the month the application was "
        "submitted (Korean time)."
    ),
    "by_area": gettext_noop(
        "By area: an application may name more than one area of need. It counts once in "
        "each, so the areas add up to more than the total."
    ),
    "by_neighbourhood": gettext_noop(
        "By neighbourhood: applications by the neighbourhood written in the application."
    ),
    "small_groups": gettext_noop(
        "To protect privacy, a count of people above zero but below %(n)s is shown as "
        "“fewer than %(n)s”, and so is a rate worked out from such a count; a survey result "
        "with fewer than %(n)s respondents is not shown. Totals are shown in full unless a "
        "neighbourhood or an area is chosen."
    ),
    # The visitors and surveys apps define their own figures; the page adds what it does
    # with them (the period's sum, the cumulative count, the whole site whatever the filters).
    "visitors": VISITORS_DEFINITION_TEXT,
    "visitors_scope": gettext_noop(
        "The visitors of the period are the daily visitors added up; the cumulative figure "
        "counts from the first day counted. Both are the whole site's, whatever the filters."
    ),
    "survey": SURVEY_RESULT_DEFINITION_TEXT,
}

FIGURE_DEFINITIONS: dict[str, StrPromise] = {
    key: gettext_lazy(text) for key, text in _TEXTS.items()
}


def definition(key: str) -> str:
    """The definition of one figure in the active language, the threshold filled in."""
    text = str(FIGURE_DEFINITIONS[key])
    # Only texts with the placeholder are formatted: a translation may write a bare "%".
    return text % {"n": SMALL_GROUP_THRESHOLD} if "%(n)s" in text else text


def definitions_in_english() -> str:
    """Every definition, in English, one paragraph each: for docstrings."""
    return "\n\n".join(
        f"``{key}``: {text % {'n': SMALL_GROUP_THRESHOLD} if '%(n)s' in text else text}"
        for key, text in _TEXTS.items()
    )

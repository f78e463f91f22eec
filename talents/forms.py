"""The resident's talent offer form: what they can do, where, and when.

It says what is wrong next to each field; the service writes the offer (and checks the
rules again).
"""

from itertools import groupby
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.boundfield import BoundWidget
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projects.models import Neighbourhood
from welfare_net.forms import ChoiceOptions, OneTimeSubmissionForm

from .models import TalentOffer

Category = TalentOffer.Category

DESCRIPTION_MAX = 3000
NEIGHBOURHOOD_INVALID = _("Where you can help: choose neighbourhoods from the list.")

# What each kind of talent covers, in plain words.
CATEGORY_HINTS: dict[str, Promise] = {
    Category.REPAIRS: _("Lights, taps, doors, small furniture"),
    Category.HAIRCUT: _("Cutting hair for neighbours who cannot go out easily"),
    Category.TUTORING: _("Homework, reading, mathematics"),
    Category.TRANSLATION: _("Helping with another language: letters, forms, appointments"),
    Category.LEGAL: _("Advice on rent, contracts, debts (for qualified people)"),
    Category.TAX: _("Help with tax returns and benefit papers (for qualified people)"),
    Category.HEALTH: _("Care, company to the hospital, exercise"),
    Category.DIGITAL: _("Using a phone or a computer, apps, online services"),
    Category.COOKING: _("Cooking meals or side dishes for neighbours"),
    Category.OTHER: _("Anything else you can do: tell us below"),
}


class TalentOfferForm(OneTimeSubmissionForm):
    category = forms.ChoiceField(
        label=_("What can you do for your neighbours?"),
        choices=Category.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose what kind of talent you offer."),
            "invalid_choice": _("Choose what kind of talent you offer."),
        },
    )
    description = forms.CharField(
        label=_("Tell us about it"),
        help_text=_(
            "What you can do and for whom, for example: I can fix lights and taps for older "
            "neighbours. A few sentences are enough."
        ),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={
            "required": _("Describe the talent you offer."),
            "max_length": _(
                "Tell us about it: please keep it under %(limit_value)d characters "
                "(now %(show_value)d)."
            ),
        },
    )
    neighbourhoods = forms.ModelMultipleChoiceField(
        label=_("Where can you help? (optional)"),
        help_text=_("Choose one or more neighbourhoods. If you choose none, it means anywhere."),
        queryset=Neighbourhood.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "invalid_list": NEIGHBOURHOOD_INVALID,
            "invalid_choice": NEIGHBOURHOOD_INVALID,
            "invalid_pk_value": NEIGHBOURHOOD_INVALID,
        },
    )
    availability = forms.CharField(
        label=_("When can you help? (optional)"),
        help_text=_("For example: weekday mornings"),
        max_length=TalentOffer._meta.get_field("availability").max_length,
        required=False,
        error_messages={
            "max_length": _(
                "When can you help: please keep it under %(limit_value)d characters "
                "(now %(show_value)d)."
            ),
        },
    )

    def __init__(self, *args: Any, neighbourhoods: QuerySet[Neighbourhood], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("neighbourhoods", neighbourhoods)

    def category_options(self) -> ChoiceOptions:
        return self.choice_options("category", CATEGORY_HINTS)

    def neighbourhood_groups(self) -> list[tuple[str, list[tuple[BoundWidget, None]]]]:
        """The neighbourhood checkboxes by district (the district's name, its checkboxes); the
        queryset comes ordered by district."""
        widgets = self["neighbourhoods"].subwidgets
        return [
            (district, [(widget, None) for widget in members])
            for district, members in groupby(
                widgets, key=lambda widget: str(widget.data["value"].instance.district.name)
            )
        ]

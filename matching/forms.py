"""The resident's forms: apply for support, refer a neighbour, withdraw an application.

They validate what was typed and say what is wrong next to each field, naming it; the
services do the writing (and check the rules again).
"""

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.choices import CallableChoiceIterator
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from projects.models import Area, Neighbourhood, Project, SupportType
from residents.models import phone_validator
from welfare_net.forms import ChoiceOptions, LongSelect, OneTimeSubmissionForm, ResidentForm

from .models import Urgency

# What each area means for someone who needs help, in plain words.
AREA_HINTS: dict[str, Promise] = {
    Area.DONATION: _("Money or goods: food, daily necessities, bills"),
    Area.NETWORK: _("A neighbour who checks on you, company, a helping hand"),
    Area.TALENT: _("Repairs, haircuts, tutoring, translation, legal or tax advice"),
    Area.HEALTH: _("Check-ups, a visiting nurse, exercise, someone to talk to"),
    Area.EDUCATION: _("Learning: mentoring for children, phone and computer skills"),
}

URGENCY_HINTS: dict[int, Promise] = {
    Urgency.LOW: _("It can wait a month or more."),
    Urgency.NORMAL: _("Within a few weeks would help."),
    Urgency.HIGH: _("I need help within days."),
    Urgency.URGENT: _("I need help today or tomorrow."),
}

DESCRIPTION_MAX = 3000
SITUATION_MAX = 3000


class ProjectChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.title)


class ApplicationForm(OneTimeSubmissionForm):
    areas = forms.MultipleChoiceField(
        label=_("What kind of help do you need?"),
        help_text=_("Choose one or more."),
        choices=Area.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("What kind of help: choose at least one."),
            "invalid_choice": _("What kind of help: choose from the list."),
        },
    )
    description = forms.CharField(
        label=_("Tell us what you need"),
        help_text=_(
            "In your own words: what is difficult, and what would help. A few sentences are enough."
        ),
        max_length=DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Tell us what you need: please write a few words."),
            "max_length": _(
                "Tell us what you need: please keep it under %(limit_value)d characters "
                "(now %(show_value)d)."
            ),
        },
    )
    urgency = forms.TypedChoiceField(
        label=_("How soon do you need help?"),
        choices=Urgency.choices,
        coerce=int,
        initial=Urgency.NORMAL,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("How soon: choose one answer."),
        },
    )
    support_type = forms.ChoiceField(
        label=_("What form of help would suit you? (optional)"),
        choices=[("", _("Not sure / any")), *SupportType.choices],
        required=False,
    )
    preferred_project = ProjectChoiceField(
        label=_("A project you would like (optional)"),
        help_text=_("If you are not sure, leave this. The community centre will find one."),
        queryset=Project.objects.none(),
        required=False,
        empty_label=_("No preference"),
        widget=LongSelect,
        error_messages={
            "invalid_choice": _(
                "A project you would like: this project is not taking applications. "
                "Choose another or leave it empty."
            ),
        },
    )
    contact_phone = forms.CharField(
        label=_("Your phone number"),
        help_text=_("The community centre calls this number. For example 010-1234-5678."),
        max_length=20,
        required=False,
        validators=[phone_validator],
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel", "inputmode": "tel"}),
        error_messages={
            "max_length": _("Your phone number: enter a number such as 010-1234-5678."),
        },
    )

    def __init__(self, *args: Any, projects: QuerySet[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("preferred_project", projects)
        # The drop-down's options as plain pairs: a district's hundreds of projects, no model
        # objects made for them (the field still checks the one chosen against the queryset).
        # Read when the drop-down is drawn: a form sent and valid draws none.
        empty = self.fields["preferred_project"].empty_label  # type: ignore[attr-defined]
        self.fields["preferred_project"].widget.choices = CallableChoiceIterator(
            lambda: [("", empty), *projects.values_list("pk", "title")]
        )

    def area_options(self) -> ChoiceOptions:
        return self.choice_options("areas", AREA_HINTS)

    def urgency_options(self) -> ChoiceOptions:
        return self.choice_options("urgency", URGENCY_HINTS)


class ReferralForm(OneTimeSubmissionForm):
    neighbourhood = forms.ModelChoiceField(
        label=_("Where does your neighbour live?"),
        help_text=_("The neighbourhood (dong). The community centre there will be told."),
        queryset=Neighbourhood.objects.none(),
        empty_label=None,
        error_messages={
            "required": _("Where does your neighbour live: choose a neighbourhood."),
        },
    )
    neighbour_name = forms.CharField(
        label=_("Your neighbour's name (optional)"),
        help_text=_("If you do not know it, leave this empty."),
        max_length=150,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={
            "max_length": _(
                "Your neighbour's name: please keep it under %(limit_value)d characters."
            ),
        },
    )
    situation = forms.CharField(
        label=_("What is their situation?"),
        help_text=_(
            "What you have noticed, for example: lives alone and has not been seen for days. "
            "Write only what the community centre needs to know."
        ),
        max_length=SITUATION_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("What is their situation: please write a few words."),
            "max_length": _(
                "What is their situation: please keep it under %(limit_value)d characters "
                "(now %(show_value)d)."
            ),
        },
    )
    how_to_reach = forms.CharField(
        label=_("How can the community centre find them?"),
        help_text=_("An address, a building and floor, or a phone number."),
        max_length=300,
        error_messages={
            "required": _(
                "How can the community centre find them: please write an address or a phone number."
            ),
            "max_length": _(
                "How can the community centre find them: please keep it under "
                "%(limit_value)d characters."
            ),
        },
    )
    neighbour_knows = forms.TypedChoiceField(
        label=_("Does your neighbour know you are telling us?"),
        choices=[("yes", _("Yes, they know")), ("no", _("No, not yet"))],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Does your neighbour know: choose yes or no."),
            "invalid_choice": _("Does your neighbour know: choose yes or no."),
        },
    )

    def __init__(self, *args: Any, neighbourhoods: QuerySet[Neighbourhood], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.limit_choices("neighbourhood", neighbourhoods)

    def knows_options(self) -> ChoiceOptions:
        return self.choice_options("neighbour_knows")


class WithdrawForm(ResidentForm):
    reason = forms.CharField(
        label=_("Why are you withdrawing? (optional)"),
        help_text=_("This helps the community centre. You may leave it empty."),
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "max_length": _(
                "Why are you withdrawing: please keep it under %(limit_value)d characters."
            ),
        },
    )

"""The coordinator queue's forms: the list's filters, and one small form per decision."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from projects.models import Area, HouseholdType, Neighbourhood, Project, TargetGroup
from residents.consents import CONSENT_TEXTS
from residents.models import Consent, phone_validator

from ..models import Urgency
from . import selectors


class QueueFilterForm(forms.Form):
    """The list's filters (GET). An unknown value is dropped, never an error page."""

    tab = forms.ChoiceField(choices=list(selectors.TABS.items()), required=False)
    neighbourhood = forms.TypedChoiceField(
        label=_("Neighbourhood"), coerce=int, required=False, empty_value=None
    )
    area = forms.ChoiceField(
        label=_("Area"), choices=[("", _("All areas")), *Area.choices], required=False
    )
    urgency = forms.TypedChoiceField(
        label=_("Urgency"),
        choices=[("", _("Any urgency")), *Urgency.choices],
        coerce=int,
        required=False,
        empty_value=None,
    )
    age = forms.ChoiceField(
        label=_("Waiting"),
        choices=[
            ("", _("Any time")),
            (selectors.AGE_OVER_3, _("Over 3 days")),
            (selectors.AGE_OVER_7, _("Over 7 days")),
        ],
        required=False,
    )
    sort = forms.ChoiceField(
        label=_("Order"),
        choices=[
            (selectors.SORT_URGENCY, _("Most urgent first, then longest waiting")),
            (selectors.SORT_WAITING, _("Longest waiting first")),
        ],
        required=False,
    )

    def __init__(self, *args: Any, neighbourhoods: list[Neighbourhood], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["neighbourhood"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [
            ("", _("All my neighbourhoods")),
            *((n.pk, n.name) for n in neighbourhoods),
        ]

    def filters(self) -> selectors.QueueFilters:
        data: dict[str, Any] = {}
        if self.is_valid():
            data = self.cleaned_data
        else:  # keep the valid parts
            data = {k: v for k, v in getattr(self, "cleaned_data", {}).items()}
        return selectors.QueueFilters(
            tab=data.get("tab") or selectors.TAB_PROPOSALS,
            neighbourhood_id=data.get("neighbourhood"),
            area=data.get("area") or "",
            urgency=data.get("urgency"),
            age=data.get("age") or "",
            sort=data.get("sort") or selectors.SORT_URGENCY,
        )


class AcceptForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea
    )


class RejectForm(forms.Form):
    note = forms.CharField(
        label=_("Why is it rejected?"),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": _("Reason: say why the proposal is rejected.")},
    )


class HoldForm(forms.Form):
    note = forms.CharField(
        label=_("Why is it on hold?"),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": _("Note: say why the case is on hold.")},
    )


class ReassignForm(forms.Form):
    project = forms.ModelChoiceField(
        label=_("Another project"),
        queryset=Project.objects.none(),
        error_messages={
            "required": _("Project: choose a project."),
            "invalid_choice": _("Project: this project is not open to this application."),
        },
    )
    note = forms.CharField(
        label=_("Note (optional)"), required=False, max_length=2000, widget=forms.Textarea
    )

    def __init__(self, *args: Any, projects: list[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["project"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Project.objects.filter(pk__in=[p.pk for p in projects]).order_by("title")


class BulkAcceptForm(forms.Form):
    proposals = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={"required": _("Choose at least one proposal to accept.")},
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["proposals"]
        assert isinstance(field, forms.TypedMultipleChoiceField)
        # Which ids the user may decide is the selector's job; here they need only be numbers.
        raw = self.data.getlist("proposals") if hasattr(self.data, "getlist") else []
        field.choices = [(v, v) for v in raw if str(v).isascii() and str(v).isdigit()]


OUTCOMES = [
    ("delivered", _("Support delivered")),
    ("declined", _("The person declined")),
    ("unreachable", _("Could not reach the person")),
    ("ineligible", _("Not eligible after all")),
    ("withdrawn", _("Withdrawn")),
]


class OutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Outcome"), choices=OUTCOMES)
    on = forms.DateField(label=_("On"), widget=forms.DateInput(attrs={"type": "date"}))
    note = forms.CharField(label=_("Note"), required=False, max_length=2000, widget=forms.Textarea)


class ReferralContactForm(forms.Form):
    note = forms.CharField(
        label=_("What was said?"),
        max_length=2000,
        widget=forms.Textarea,
        error_messages={"required": _("Note: say how the contact went.")},
    )


class ReferralCloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is it closed?"),
        max_length=300,
        error_messages={"required": _("Reason: say why the referral is closed.")},
    )


class ReferralConvertForm(forms.Form):
    """What the coordinator learnt from the neighbour, to apply on their behalf.

    Sensitive groups (health, disability) are not offered: they need the neighbour's separate
    consent, which this form does not record."""

    consent = forms.BooleanField(
        label=_("The neighbour agreed to the use of their personal information (text version %s).")
        % CONSENT_TEXTS[Consent.Kind.PERSONAL].version,
        error_messages={"required": _("Consent: an application needs the neighbour's consent.")},
    )
    applicant_name = forms.CharField(label=_("Neighbour's name"), max_length=150)
    contact_phone = forms.CharField(
        label=_("Phone"), max_length=20, required=False, validators=[phone_validator]
    )
    birth_year = forms.IntegerField(label=_("Birth year"), min_value=1900, required=False)
    household_type = forms.ChoiceField(
        label=_("Household"), choices=[("", "-"), *HouseholdType.choices], required=False
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Target groups"),
        queryset=TargetGroup.objects.filter(is_sensitive=False),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    areas = forms.MultipleChoiceField(
        label=_("Kind of help"), choices=Area.choices, widget=forms.CheckboxSelectMultiple
    )
    description = forms.CharField(label=_("What is needed"), widget=forms.Textarea)
    urgency = forms.TypedChoiceField(
        label=_("Urgency"), choices=Urgency.choices, coerce=int, initial=Urgency.NORMAL
    )

    def service_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "applicant_name": data["applicant_name"],
            "contact_phone": data["contact_phone"],
            "birth_year": data["birth_year"],
            "household_type": data["household_type"],
            "target_group_ids": [group.pk for group in data["target_groups"]],
            "areas": data["areas"],
            "description": data["description"],
            "urgency": data["urgency"],
            "consent_text_version": CONSENT_TEXTS[Consent.Kind.PERSONAL].version,
        }

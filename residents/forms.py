from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from projects.models import HouseholdType, Neighbourhood, TargetGroup

from .models import ResidentProfile, phone_validator


class ProfileForm(forms.Form):
    """The short profile step after the first login, with the consents of domain.md."""

    neighbourhood = forms.ModelChoiceField(
        label=_("Your neighbourhood (dong)"),
        queryset=Neighbourhood.objects.select_related("district"),
        empty_label=_("Choose your neighbourhood"),
        error_messages={"required": _("Choose the neighbourhood you live in.")},
    )
    birth_year = forms.IntegerField(
        label=_("Year of birth"),
        min_value=1900,
        help_text=_("For example 1952"),
        widget=forms.NumberInput(attrs={"inputmode": "numeric", "autocomplete": "bday-year"}),
        error_messages={
            "required": _("Enter your year of birth, for example 1952."),
            "invalid": _("Enter your year of birth as four digits, for example 1952."),
            "min_value": _("Enter your year of birth as four digits, for example 1952."),
        },
    )
    household_type = forms.ChoiceField(
        label=_("Who do you live with?"),
        choices=HouseholdType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose who you live with.")},
    )
    target_groups = forms.ModelMultipleChoiceField(
        label=_("Does any of these describe you? (optional)"),
        queryset=TargetGroup.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("This helps us find support that fits you. Tick none if you prefer."),
    )
    phone = forms.CharField(
        label=_("Phone number"),
        max_length=20,
        required=False,
        validators=[phone_validator],
        help_text=_("For example 010-1234-5678. The community centre calls you on this number."),
        widget=forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Language"),
        choices=ResidentProfile.Language.choices,
        widget=forms.RadioSelect,
        initial=ResidentProfile.Language.KOREAN,
    )
    notification_channel = forms.ChoiceField(
        label=_("How should we tell you about your applications?"),
        choices=ResidentProfile.Channel.choices,
        widget=forms.RadioSelect,
        initial=ResidentProfile.Channel.EMAIL,
    )
    consent_personal = forms.BooleanField(
        label=_("I agree to the use of my personal information as described above."),
        error_messages={
            "required": _(
                "Your profile is personal information: we can only keep it with your consent."
            )
        },
    )
    consent_sensitive = forms.BooleanField(
        label=_("I agree to the use of my sensitive information as described above."),
        required=False,
    )
    consent_notifications = forms.BooleanField(
        label=_("I agree to receive notifications as described above."), required=False
    )

    def clean_birth_year(self) -> int:
        year: int = self.cleaned_data["birth_year"]
        if year > timezone.localdate().year:
            raise forms.ValidationError(_("The year of birth cannot be in the future."))
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        groups = cleaned.get("target_groups") or []
        if any(group.is_sensitive for group in groups) and not cleaned.get("consent_sensitive"):
            self.add_error(
                "consent_sensitive",
                _(
                    "You ticked a group about health or disability: this needs your separate "
                    "consent, or untick that group."
                ),
            )
        channel = cleaned.get("notification_channel")
        if (
            channel
            and channel != ResidentProfile.Channel.NONE
            and not cleaned.get("consent_notifications")
        ):
            self.add_error(
                "consent_notifications",
                _("To receive notifications, tick this consent, or choose “No notifications”."),
            )
        return cleaned

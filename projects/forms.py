"""Admin forms for district data. They validate; saving goes through the services."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import (
    Area,
    CoordinatorInvitation,
    District,
    HouseholdType,
    Participation,
    Project,
    StaffMember,
)
from .services import STAFF_PROJECT_FIELDS, validate_neighbourhoods_in_district


class DistrictBoundForm(forms.ModelForm):
    """A form whose row belongs to one district.

    For staff the admin sets ``district_for_new`` (their district) and shows the district
    read-only; the new row carries it from the start, so validation that depends on the
    district (the organisation's district, unique names per district) runs before saving.
    """

    district_for_new: District | None = None

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and self.district_for_new is not None:
            self.instance.district = self.district_for_new

    def _get_validation_exclusions(self) -> set[str]:
        # The district is not a form field for staff but is set on the instance: keep it in
        # validation so "unique name per district" is checked here, not by the database.
        exclusions = set(super()._get_validation_exclusions())  # type: ignore[misc]
        exclusions.discard("district")
        return exclusions

    def chosen_district(self) -> District | None:
        district = self.cleaned_data.get("district")
        if district is None and self.instance.district_id:
            district = self.instance.district
        return district

    def check_neighbourhoods_in_district(self, field: str = "neighbourhoods") -> None:
        district = self.chosen_district()
        neighbourhoods = self.cleaned_data.get(field)
        if district is None or not neighbourhoods:
            return
        try:
            validate_neighbourhoods_in_district(
                district_id=district.pk, neighbourhoods=neighbourhoods
            )
        except ValidationError as error:
            self.add_error(field, error.message_dict["neighbourhoods"])


class ProjectAdminForm(DistrictBoundForm):
    household_types = forms.MultipleChoiceField(
        label=_("household types"),
        choices=HouseholdType.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every household type."),
    )

    class Meta:
        model = Project
        fields = list(STAFF_PROJECT_FIELDS)
        widgets = {
            "neighbourhoods": forms.CheckboxSelectMultiple,
            "target_groups": forms.CheckboxSelectMultiple,
        }

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_neighbourhoods_in_district()
        return self.cleaned_data


def areas_field() -> forms.MultipleChoiceField:
    """The areas a coordinator works in, ticked; none means every area."""
    return forms.MultipleChoiceField(
        label=_("areas"),
        choices=Area.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every area."),
    )


class StaffMemberAdminForm(DistrictBoundForm):
    areas = areas_field()

    class Meta:
        model = StaffMember
        fields = ["user", "district", "role", "neighbourhoods", "areas"]
        widgets = {"neighbourhoods": forms.CheckboxSelectMultiple}

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_neighbourhoods_in_district()
        return self.cleaned_data


class CoordinatorAssignmentForm(StaffMemberAdminForm):
    """District staff change a coordinator's neighbourhoods and areas; the person and the role
    stay. (A new coordinator is invited: ``CoordinatorInvitationForm``.)"""

    class Meta(StaffMemberAdminForm.Meta):
        fields = ["neighbourhoods", "areas"]


class CoordinatorInvitationForm(DistrictBoundForm):
    """District staff invite a coordinator by the email they signed up with, for some
    neighbourhoods (and areas). Whether the address has an account is not checked here: the
    answer must not tell (``services.coordinator_invitation_send``)."""

    areas = areas_field()

    class Meta:
        model = CoordinatorInvitation
        fields = ["district", "email", "neighbourhoods", "areas"]
        widgets = {"neighbourhoods": forms.CheckboxSelectMultiple}
        help_texts = {"email": _("The email address the coordinator signed up on this site with.")}

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_neighbourhoods_in_district()
        return self.cleaned_data


class JoinProjectForm(forms.Form):
    role = forms.ChoiceField(
        label=_("How do you want to take part?"),
        choices=Participation.Role.choices,
        error_messages={"required": _("Choose how you want to take part.")},
    )

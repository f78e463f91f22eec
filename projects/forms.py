"""Admin forms for district data. They validate; saving goes through the services."""

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .models import Area, District, HouseholdType, Participation, Project, StaffMember
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


class StaffMemberAdminForm(DistrictBoundForm):
    areas = forms.MultipleChoiceField(
        label=_("areas"),
        choices=Area.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("None ticked means every area."),
    )

    class Meta:
        model = StaffMember
        fields = ["user", "district", "role", "neighbourhoods", "areas"]
        widgets = {"neighbourhoods": forms.CheckboxSelectMultiple}

    def clean(self) -> dict[str, Any]:
        super().clean()
        self.check_neighbourhoods_in_district()
        return self.cleaned_data


class CoordinatorAssignmentForm(StaffMemberAdminForm):
    """District staff name a coordinator of their own district by the email the coordinator
    signed up with (staff cannot browse the residents' accounts) and tick the neighbourhoods.

    Only the coordinator role can be given here: making district staff is for superusers.
    """

    user_email = forms.EmailField(
        label=_("the coordinator's login email"),
        help_text=_("The email address the coordinator signed up on this site with."),
    )

    class Meta(StaffMemberAdminForm.Meta):
        fields = ["neighbourhoods", "areas"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk is None:
            self.instance.role = StaffMember.Role.COORDINATOR
        else:
            # The person and the role do not change; only the neighbourhoods and areas do.
            # (The admin lets staff change coordinators' rows only, and reads the instance's
            # role to decide: a district staff row must stay one while its page is shown.)
            del self.fields["user_email"]

    def clean_user_email(self) -> Any:
        from django.contrib.auth import get_user_model

        email = self.cleaned_data["user_email"]
        users = list(get_user_model().objects.filter(email__iexact=email, is_active=True)[:2])
        if len(users) != 1:
            raise ValidationError(
                _("No account signed up with this email. Ask the coordinator to sign up first."),
                code="no_account",
            )
        user = users[0]
        if user.is_superuser or StaffMember.objects.filter(user=user).exists():
            raise ValidationError(
                _("This person already has a role on the platform."), code="has_role"
            )
        self.instance.user = user
        return email


class JoinProjectForm(forms.Form):
    role = forms.ChoiceField(
        label=_("How do you want to take part?"),
        choices=Participation.Role.choices,
        error_messages={"required": _("Choose how you want to take part.")},
    )

"""Input of the public project pages (the search form is ``filters.ProjectFilter``)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Participation


class JoinProjectForm(forms.Form):
    role = forms.ChoiceField(
        label=_("How do you want to take part?"),
        choices=Participation.Role.choices,
        error_messages={"required": _("Choose how you want to take part.")},
    )

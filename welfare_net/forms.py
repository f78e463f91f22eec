"""Form pieces shared by the resident's pages (no business rules here)."""

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

FORM_EXPIRED = _("This form has expired. Please check your answers and send again.")


class SubmissionKeyField(forms.UUIDField):
    """The form's one-time key: sending the same form twice (a double tap, a resend) creates
    one record, because the services return the record already made with that key."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": FORM_EXPIRED, "invalid": FORM_EXPIRED})
        super().__init__(**kwargs)


class OneTimeSubmissionForm(forms.Form):
    """A form that carries a new submission key each time it is shown empty."""

    submission_key = SubmissionKeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = uuid.uuid4()

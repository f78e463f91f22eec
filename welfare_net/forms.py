"""Form pieces shared by the resident's pages (no business rules here)."""

import uuid
from typing import Any

from django import forms
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString
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


SELECTED = SafeString(" selected")


class LongSelect(forms.Select):
    """A drop-down of hundreds of options (a district's open projects), written in Python.

    Django's ``Select`` renders a template per option: for a district's few hundred projects
    that was most of the application form's time. The HTML is the same: ``<option>`` per
    choice, the current value selected, every value and label escaped. Flat choices only
    (no option groups).
    """

    def render(
        self, name: str, value: Any, attrs: dict[str, Any] | None = None, renderer: Any = None
    ) -> SafeString:
        chosen = set(self.format_value(value))
        options = format_html_join(
            "",
            '<option value="{}"{}>{}</option>',
            (
                (option, SELECTED if str(option) in chosen else "", label)
                for option, label in self.choices
            ),
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)

"""Form pieces shared by the resident's pages (no business rules here)."""

import uuid
from collections.abc import Mapping
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.forms.boundfield import BoundWidget
from django.forms.utils import flatatt
from django.utils.functional import Promise
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

FORM_EXPIRED = _("This form has expired. Please check your answers and send again.")

# Radio buttons or checkboxes, each with its hint, for ``matching/_choice_group.html``.
ChoiceOptions = list[tuple[BoundWidget, Promise | str | None]]


class ResidentForm(forms.Form):
    """A form of the resident's pages: each label stands above its field, without a colon."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    def limit_choices(self, name: str, queryset: QuerySet[Any]) -> None:
        """The model choice field ``name`` (declared with ``objects.none()``) offers
        ``queryset``: what this resident may choose."""
        field = self.fields[name]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = queryset

    def choice_options(
        self, name: str, hints: Mapping[Any, Promise | str] | None = None
    ) -> ChoiceOptions:
        """The radio buttons or checkboxes of ``name``, each with its plain-words hint from
        ``hints`` by the choice's value ("" where it has none; None for all without hints)."""
        widgets = self[name].subwidgets
        if hints is None:
            return [(widget, None) for widget in widgets]
        return [(widget, hints.get(widget.data["value"], "")) for widget in widgets]


class SubmissionKeyField(forms.UUIDField):
    """The form's one-time key: sending the same form twice (a double tap, a resend) creates
    one record, because the services return the record already made with that key."""

    widget = forms.HiddenInput

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("error_messages", {"required": FORM_EXPIRED, "invalid": FORM_EXPIRED})
        super().__init__(**kwargs)


class OneTimeSubmissionForm(ResidentForm):
    """A form that carries a new submission key each time it is shown empty."""

    submission_key = SubmissionKeyField()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound and not self.initial.get("submission_key"):
            self.initial["submission_key"] = uuid.uuid4()


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
        # Every value and label is escaped, so the joined whole is safe.
        options = SafeString(  # nosec B703 B308
            "".join(
                f'<option value="{escape(option)}"'
                f"{' selected' if str(option) in chosen else ''}>{escape(label)}</option>"
                for option, label in self.choices
            )
        )
        final_attrs = self.build_attrs(self.attrs, attrs)
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final_attrs), options)

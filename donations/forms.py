"""The resident's donation pledge form: which project, money or goods, how much, anonymous.

It says what is wrong next to each field; the service writes the pledge (and checks the
rules again). No JavaScript: the money and goods questions are both shown, and only the
part that matches the chosen kind is read.
"""

from collections.abc import Sequence
from typing import Any

from django import forms
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from projects.models import Project
from welfare_net.forms import ChoiceOptions, OneTimeSubmissionForm

from .models import DonationPledge

Kind = DonationPledge.Kind

QUICK_AMOUNTS: tuple[int, ...] = (10_000, 30_000, 50_000, 100_000)
OTHER_AMOUNT = "other"
# A pledge larger than this is a matter for a call to the district, not a web form.
MAX_AMOUNT_WON = 10_000_000_000
MAX_GOODS_QUANTITY = 1_000_000

KIND_HINTS: dict[str, Promise] = {
    Kind.MONEY: _("A gift of money. You get a donation receipt for tax purposes."),
    Kind.GOODS: _("Things such as rice, side dishes, clothes or daily necessities."),
}

# The service's own words, so the page and the service say the same thing.
PROJECT_NOT_OPEN = _("This project is not open for donations at the moment.")
AMOUNT_INVALID = _("Enter an amount of at least 1 won, in whole won.")
GOODS_DESCRIPTION_MISSING = _("Describe the goods you pledge.")
GOODS_QUANTITY_INVALID = _("Enter a quantity of at least 1.")

MONEY_FIELDS = ("amount", "other_amount")
GOODS_FIELDS = ("goods_description", "goods_quantity")


class WonField(forms.IntegerField):
    """A whole number of won as people write it: "20,000", "20000원" and " 20 000 " all
    read as 20000."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"})

    def to_python(self, value: Any) -> int | None:
        if isinstance(value, str):
            value = value.replace(",", "").replace(" ", "").removesuffix("원")
        return super().to_python(value)


def _won(amount: int) -> str:
    return gettext("%(amount)s won") % {"amount": f"{amount:,}"}


def _project_label(project: Project, *, with_district: bool) -> str:
    if with_district:
        return f"{project.title} ({project.district.name})"
    return str(project.title)


class PledgeForm(OneTimeSubmissionForm):
    project = forms.ChoiceField(
        label=_("Which project would you like to give to?"),
        help_text=_("Projects that collect donations come first."),
        error_messages={
            "required": _("Which project: choose one from the list."),
            "invalid_choice": PROJECT_NOT_OPEN,
        },
    )
    kind = forms.ChoiceField(
        label=_("Money or goods?"),
        choices=Kind.choices,
        initial=Kind.MONEY,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose money or goods."),
            "invalid_choice": _("Choose money or goods."),
        },
    )
    amount = forms.ChoiceField(
        label=_("If money: how much would you like to give?"),
        required=False,
        widget=forms.RadioSelect,
        error_messages={"invalid_choice": _("If money: choose an amount from the list.")},
    )
    other_amount = WonField(
        label=_("Another amount, in won"),
        help_text=_("Choose “Another amount” above, then write the amount. For example 20000."),
        required=False,
        min_value=1,
        max_value=MAX_AMOUNT_WON,
        error_messages={
            "invalid": AMOUNT_INVALID,
            "min_value": AMOUNT_INVALID,
            "max_value": _(
                "Another amount: for more than 10 billion won, please call the district office."
            ),
        },
    )
    goods_description = forms.CharField(
        label=_("What will you give?"),
        help_text=_("For example: rice 10 kg, winter blankets, instant noodles."),
        max_length=200,
        required=False,
        error_messages={
            "max_length": _(
                "What you will give: please keep it under %(limit_value)d characters "
                "(now %(show_value)d)."
            ),
        },
    )
    goods_quantity = forms.IntegerField(
        label=_("How many?"),
        help_text=_("The number of bags, boxes or pieces."),
        required=False,
        min_value=1,
        max_value=MAX_GOODS_QUANTITY,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
        error_messages={
            "invalid": GOODS_QUANTITY_INVALID,
            "min_value": GOODS_QUANTITY_INVALID,
            "max_value": _("How many: please enter at most %(limit_value)s."),
        },
    )
    anonymous = forms.BooleanField(
        label=_("Do not show my name in public"),
        help_text=_(
            "Your name then appears nowhere on the public pages. "
            "Your donation receipt still shows it, because the tax office needs it."
        ),
        required=False,
    )

    def __init__(self, *args: Any, projects: Sequence[Project], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._projects = {str(project.pk): project for project in projects}
        with_district = len({project.district_id for project in projects}) > 1
        donation = [p for p in projects if p.area == "donation"]
        others = [p for p in projects if p.area != "donation"]
        groups: list[tuple[str, Any]] = [("", gettext("Choose a project"))]
        for title, members in (
            (gettext("Donation projects"), donation),
            (gettext("Other open projects"), others),
        ):
            if members:
                choices = [
                    (str(p.pk), _project_label(p, with_district=with_district)) for p in members
                ]
                groups.append((title, choices))
        project_field = self.fields["project"]
        assert isinstance(project_field, forms.ChoiceField)
        project_field.choices = groups
        amount_field = self.fields["amount"]
        assert isinstance(amount_field, forms.ChoiceField)
        amount_field.choices = [
            *((str(amount), _won(amount)) for amount in QUICK_AMOUNTS),
            (OTHER_AMOUNT, gettext("Another amount (write it below)")),
        ]

    def clean_project(self) -> Project:
        project = self._projects.get(self.cleaned_data["project"])
        if project is None:  # the choices guard this; kept for the type
            raise forms.ValidationError(PROJECT_NOT_OPEN)
        return project

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        # Only the part that matches the chosen kind counts; mistakes in the other part
        # do not hold the resident up.
        for name in GOODS_FIELDS if kind == Kind.MONEY else MONEY_FIELDS:
            self.errors.pop(name, None)
        data["amount_won"] = None
        if kind == Kind.MONEY:
            data["amount_won"] = self._amount_won(data)
            data["goods_description"], data["goods_quantity"] = "", None
        elif kind == Kind.GOODS:
            if (
                not data.get("goods_description", "").strip()
                and "goods_description" not in self.errors
            ):
                self.add_error("goods_description", GOODS_DESCRIPTION_MISSING)
            if data.get("goods_quantity") is None and "goods_quantity" not in self.errors:
                self.add_error("goods_quantity", GOODS_QUANTITY_INVALID)
        return data

    def _amount_won(self, data: dict[str, Any]) -> int | None:
        if "amount" in self.errors or "other_amount" in self.errors:
            return None
        chosen, written = data.get("amount", ""), data.get("other_amount")
        if chosen and chosen != OTHER_AMOUNT:
            if written is not None and written != int(chosen):
                self.add_error(
                    "amount",
                    _(
                        "If money: you chose an amount and also wrote another one. Choose "
                        "“Another amount” to give what you wrote, or clear what you wrote."
                    ),
                )
                return None
            return int(chosen)
        if written is not None:
            return int(written)
        if chosen == OTHER_AMOUNT:
            self.add_error("other_amount", AMOUNT_INVALID)
        else:
            self.add_error("amount", _("If money: choose an amount, or write another amount."))
        return None

    def kind_options(self) -> ChoiceOptions:
        return self.choice_options("kind", KIND_HINTS)

    def amount_options(self) -> ChoiceOptions:
        return self.choice_options("amount")

    def has_projects(self) -> bool:
        return bool(self._projects)

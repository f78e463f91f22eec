"""What a visitor may choose on the impact page and the staff report: a year, or a period from
one day to another, and optionally a district, a neighbourhood and an area."""

import dataclasses
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from projects.models import Area, District, Neighbourhood

from .periods import MAX_PERIOD_DAYS, Period, default_period, today, year_period


@dataclasses.dataclass(frozen=True)
class Choice:
    """The period and scope the figures are drawn for."""

    period: Period
    district: District | None = None
    neighbourhood: Neighbourhood | None = None
    area: str | None = None
    year: int | None = None  # the year button chosen, if one was

    @property
    def area_label(self) -> str:
        return str(Area(self.area).label) if self.area else ""

    @property
    def is_filtered(self) -> bool:
        return bool(self.district or self.neighbourhood or self.area)


class ImpactFilterForm(forms.Form):
    """Read from the address (GET). Every field may be left out; whatever is given must make
    sense, or the page says what is wrong and shows its default period instead."""

    year = forms.IntegerField(label=_("Year"), required=False)
    district = forms.ModelChoiceField(
        label=_("District"),
        queryset=District.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("All districts"),
        error_messages={"invalid_choice": _("We do not know that district.")},
    )
    neighbourhood = forms.ModelChoiceField(
        label=pgettext_lazy("impact", "Neighbourhood"),
        queryset=Neighbourhood.objects.select_related("district").order_by("district", "name"),
        required=False,
        empty_label=_("All neighbourhoods"),
        error_messages={"invalid_choice": _("We do not know that neighbourhood.")},
    )
    area = forms.ChoiceField(
        label=_("Area"),
        choices=[("", _("All areas")), *Area.choices],
        required=False,
        error_messages={"invalid_choice": _("We do not know that area.")},
    )

    def __init__(
        self,
        *args: Any,
        first_year: int,
        districts: list[District] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.first_year = first_year
        # "from" is a Python keyword: these two fields are added by name.
        self.fields["from"] = forms.DateField(
            label=_("From"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            error_messages={"invalid": _("Write the first day as a date, like 2025-01-01.")},
        )
        self.fields["to"] = forms.DateField(
            label=_("To"),
            required=False,
            widget=forms.DateInput(attrs={"type": "date"}),
            error_messages={"invalid": _("Write the last day as a date, like 2025-12-31.")},
        )
        if districts is not None:
            district_field = self.fields["district"]
            assert isinstance(district_field, forms.ModelChoiceField)
            district_field.queryset = District.objects.filter(pk__in=[d.pk for d in districts])
            neighbourhood_field = self.fields["neighbourhood"]
            assert isinstance(neighbourhood_field, forms.ModelChoiceField)
            neighbourhood_field.queryset = (
                Neighbourhood.objects.select_related("district")
                .filter(district__in=[d.pk for d in districts])
                .order_by("district", "name")
            )

    def years(self) -> list[int]:
        """The years with a button: from the first application (or last year, the default,
        at the latest) to this one."""
        return list(range(min(self.first_year, today().year - 1), today().year + 1))

    def clean_year(self) -> int | None:
        year: int | None = self.cleaned_data.get("year")
        if year is not None and year not in self.years():
            raise forms.ValidationError(_("There are no figures for that year."))
        return year

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        start: date | None = cleaned.get("from")
        end: date | None = cleaned.get("to")
        if (
            (start is None) != (end is None)
            and not self.has_error("from")
            and not self.has_error("to")
        ):
            raise forms.ValidationError(_("Give both the first and the last day of the period."))
        if start and end:
            if end < start:
                raise forms.ValidationError(_("The last day comes before the first day."))
            if (end - start).days + 1 > MAX_PERIOD_DAYS:
                raise forms.ValidationError(_("Choose a period of ten years or less."))
        neighbourhood: Neighbourhood | None = cleaned.get("neighbourhood")
        district: District | None = cleaned.get("district")
        if neighbourhood and district and neighbourhood.district_id != district.pk:
            raise forms.ValidationError(_("That neighbourhood is not in that district."))
        return cleaned

    def choice(self) -> Choice:
        """What to show: the valid choice, or the default period when anything is wrong
        (call after ``is_valid()``; an unbound form is the default too)."""
        if not self.is_bound or not self.is_valid():
            return Choice(period=default_period())
        data = self.cleaned_data
        if data.get("from") and data.get("to"):
            period = Period(data["from"], data["to"])
            year = None
        elif data.get("year"):
            period, year = year_period(data["year"]), data["year"]
        else:
            period = default_period()
            year = period.start.year
        return Choice(
            period=period,
            district=data.get("district"),
            neighbourhood=data.get("neighbourhood"),
            area=data.get("area") or None,
            year=year,
        )

    def problems(self) -> list[str]:
        """Every error in plain words, for the message at the top of the page."""
        if not self.is_bound:
            return []
        return [str(message) for messages in self.errors.values() for message in messages]

"""The JSON door's input (the period and district asked for) and output (the figures)."""

from datetime import date
from typing import Any

from django.utils.translation import gettext_lazy as _
from django_stubs_ext import StrPromise
from rest_framework import serializers

from projects.models import District
from surveys.selectors import DIMENSIONS
from welfare_net.api_fields import QuerySerializer

from .definitions import FIGURE_DEFINITIONS
from .periods import MAX_PERIOD_DAYS, default_period

_DATE_ERRORS: dict[str, str | StrPromise] = {
    "invalid": _("Write the date as YYYY-MM-DD, like 2025-01-01."),
    "required": _("Give the first and the last day of the period: from=YYYY-MM-DD&to=YYYY-MM-DD."),
    "null": _("Write the date as YYYY-MM-DD, like 2025-01-01."),
}


class ImpactQuerySerializer(QuerySerializer):
    # Neither day: the impact page's own period, the last complete calendar year.
    to = serializers.DateField(
        required=False,
        help_text=_(
            "The last day of the period (included), YYYY-MM-DD. Without from and to: "
            "the last complete calendar year."
        ),
        error_messages=_DATE_ERRORS,
    )
    district = serializers.CharField(
        required=False,
        help_text=_("The district's code; all districts when left out."),
    )

    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        fields = super().get_fields()
        # "from" is a Python keyword, so this field is added by name.
        fields = {
            "from": serializers.DateField(
                required=False,
                help_text=_("The first day of the period, YYYY-MM-DD."),
                error_messages=_DATE_ERRORS,
            ),
            **fields,
        }
        return fields

    def validate_district(self, code: str) -> District:
        district = District.objects.filter(code=code).first()
        if district is None:
            raise serializers.ValidationError(
                _("We do not know that district."), code="does_not_exist"
            )
        return district

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if "from" not in attrs and "to" not in attrs:
            period = default_period()
            attrs = {**attrs, "from": period.start, "to": period.end}
        missing = [name for name in ("from", "to") if name not in attrs]
        if missing:
            # Each day alone is optional in the document; one without the other is 422.
            raise serializers.ValidationError(
                {
                    name: [serializers.ErrorDetail(str(_DATE_ERRORS["required"]), "unprocessable")]
                    for name in missing
                }
            )
        start: date = attrs["from"]
        end: date = attrs["to"]
        if end < start:
            raise serializers.ValidationError(
                _("The last day comes before the first day."), code="unprocessable"
            )
        if (end - start).days + 1 > MAX_PERIOD_DAYS:
            raise serializers.ValidationError(
                _("Choose a period of ten years or less."), code="unprocessable"
            )
        return attrs


def _count(key: str, **kwargs: Any) -> serializers.IntegerField:
    return serializers.IntegerField(help_text=FIGURE_DEFINITIONS[key], **kwargs)


def _decimal(key: str, **kwargs: Any) -> serializers.DecimalField:
    return serializers.DecimalField(
        max_digits=12,
        decimal_places=1,
        coerce_to_string=False,
        allow_null=True,
        help_text=FIGURE_DEFINITIONS[key],
        **kwargs,
    )


class AreaFiguresSerializer(serializers.Serializer[Any]):
    area = serializers.CharField(source="code", help_text=_("The area's code."))
    participants = _count("participants", allow_null=True)
    applications = _count("applications", allow_null=True)
    connections = _count("connections", allow_null=True)
    connection_rate = _decimal("connection_rate")


class NeighbourhoodFiguresSerializer(serializers.Serializer[Any]):
    code = serializers.CharField(help_text=_("The neighbourhood's code."))
    name = serializers.CharField(help_text=_("The neighbourhood's name."))
    participants = _count("participants", allow_null=True)
    applications = _count("applications", allow_null=True)
    connections = _count("connections", allow_null=True)
    connection_rate = _decimal("connection_rate")


class SurveyFiguresSerializer(serializers.Serializer[Any]):
    def get_fields(self) -> dict[str, serializers.Field[Any, Any, Any, Any]]:
        return {code: _decimal("survey") for code in DIMENSIONS}


class ImpactFiguresSerializer(serializers.Serializer[Any]):
    """The figures of a period; a count of too few people in a breakdown is null."""

    participants = _count("participants", allow_null=True)
    participants_growth = _decimal("participants_growth")
    projects = _count("projects")
    projects_change_pct = _decimal("projects_change_pct")
    applications = _count("applications", allow_null=True)
    connections = _count("connections", allow_null=True)
    connection_rate = _decimal("connection_rate")
    visitors = _count("visitors")
    survey = SurveyFiguresSerializer(
        source="survey_percent", help_text=FIGURE_DEFINITIONS["survey"]
    )
    by_area = AreaFiguresSerializer(many=True, help_text=FIGURE_DEFINITIONS["by_area"])
    by_neighbourhood = NeighbourhoodFiguresSerializer(
        many=True, help_text=FIGURE_DEFINITIONS["by_neighbourhood"]
    )

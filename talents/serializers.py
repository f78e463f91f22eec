"""What the API shows a resident of their own talent offers, and what it takes to make one:
the website's form in JSON, with the same rules and words."""

import uuid
from typing import Any

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from projects.models import Neighbourhood
from projects.serializers import NeighbourhoodNameSerializer, ProjectTitleSerializer
from welfare_net import api_fields
from welfare_net.api import ContextPrimaryKeyRelatedField
from welfare_net.api_enums import EnumField
from welfare_net.api_fields import JsonInput

from .forms import DESCRIPTION_MAX, NEIGHBOURHOOD_INVALID
from .models import TalentOffer

CATEGORY_MISSING = _("Choose what kind of talent you offer.")
DESCRIPTION_MISSING = _("Describe the talent you offer.")


class MyTalentOfferSerializer(serializers.ModelSerializer[TalentOffer]):
    category = serializers.ChoiceField(choices=TalentOffer.Category.choices)
    category_label = serializers.CharField(source="get_category_display")
    neighbourhoods = NeighbourhoodNameSerializer(
        many=True, help_text="Where the resident can help; none: anywhere."
    )
    status = EnumField(TalentOffer.Status.choices, enum_name="TalentOfferStatusEnum")
    status_label = serializers.CharField(source="get_status_display")
    project = ProjectTitleSerializer(
        allow_null=True, help_text="The project the district attached the offer to."
    )

    class Meta:
        model = TalentOffer
        fields = [
            "id",
            "category",
            "category_label",
            "description",
            "neighbourhoods",
            "availability",
            "status",
            "status_label",
            "project",
            "created_at",
        ]
        read_only_fields = fields


class MyTalentOfferCreateSerializer(JsonInput, serializers.Serializer[Any]):
    """A talent offer as the website's form takes it. ``context["neighbourhoods"]``: where
    the resident may offer it."""

    category = serializers.ChoiceField(
        choices=TalentOffer.Category.choices,
        error_messages={"required": CATEGORY_MISSING, "invalid_choice": CATEGORY_MISSING},
    )
    description = serializers.CharField(
        max_length=DESCRIPTION_MAX,
        error_messages={
            "required": DESCRIPTION_MISSING,
            "blank": DESCRIPTION_MISSING,
            "max_length": _("Tell us about it: please keep it under {max_length} characters."),
        },
    )
    neighbourhoods = ContextPrimaryKeyRelatedField(
        context_key="neighbourhoods",
        many=True,
        queryset=Neighbourhood.objects.none(),
        default=list,
        help_text="Ids of the neighbourhoods where the resident can help (their district's); "
        "none: anywhere.",
        error_messages={
            "does_not_exist": NEIGHBOURHOOD_INVALID,
            "incorrect_type": NEIGHBOURHOOD_INVALID,
            "not_a_list": NEIGHBOURHOOD_INVALID,
        },
    )
    availability = serializers.CharField(
        max_length=TalentOffer._meta.get_field("availability").max_length,
        allow_blank=True,
        default="",
        help_text="For example: weekday mornings.",
        error_messages={
            "max_length": _("When can you help: please keep it under {max_length} characters."),
        },
    )
    submission_key = api_fields.UUIDField(
        default=uuid.uuid4,
        help_text="A UUID the app makes once per form it shows: sending the same key again "
        "returns the offer already made instead of a second one. Optional.",
    )
